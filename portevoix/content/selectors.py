"""The posts and suggestions a member of the pilot team may see, through their entity scope
(accounts/scopes.py): pages, exports and the API read them from here."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import EntityScope, scope_of
from portevoix.content.models import Post, Suggestion

TARGETS = Post.target_groups.through


def post_audience_filter(scope: EntityScope, path: str = "pk") -> Q | Exists:
    """Posts whose audience stays within the scope: at least one target group, every one of
    them in the scope (a post without groups goes to everybody)."""
    if scope.group_ids is None:
        return Q()
    inside = TARGETS.objects.filter(post_id=OuterRef(path), group_id__in=scope.group_ids)
    outside = TARGETS.objects.filter(post_id=OuterRef(path)).exclude(group_id__in=scope.group_ids)
    return Exists(inside) & ~Exists(outside)


def posts_visible(viewer: Person, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Every post for the whole organisation; for a scoped editor the posts whose audience is
    within their scope, and their own (a draft made from a suggestion has no audience yet)."""
    posts = Post.objects.all() if posts is None else posts
    scope = scope_of(viewer)
    if scope.is_whole:
        return posts
    return posts.filter(post_audience_filter(scope) | Q(author=viewer))


def suggestions_visible(
    viewer: Person, suggestions: QuerySet[Suggestion] | None = None
) -> QuerySet[Suggestion]:
    """Suggestions made by the scope's people."""
    suggestions = Suggestion.objects.all() if suggestions is None else suggestions
    return suggestions.filter(scope_of(viewer).person_filter("author"))
