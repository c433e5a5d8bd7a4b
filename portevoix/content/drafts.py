"""Creating a draft post from elsewhere in the platform (the curation inbox, suggestions).

Temporary minimal version for the veille branch: the content hub replaces it with the full one
(kinds, previews, suggested messages) with this exact signature.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from portevoix.accounts.models import Person
from portevoix.content.models import Post, PostStatus, Topic


def post_create_draft(
    *,
    author: Person | None,
    title: str,
    url: str = "",
    kind: str = "link",
    commentary: str = "",
    preview_title: str = "",
    preview_description: str = "",
    preview_image_url: str = "",
    message: str = "",
    topics: Iterable[Topic] = (),
) -> Post:
    with transaction.atomic():
        post = Post.objects.create(title=title[:200], url=url, status=PostStatus.DRAFT)
        post.topics.set(list(topics))
    return post
