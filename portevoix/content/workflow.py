"""The publishing workflow: draft → in review → scheduled / published → expired / archived.
Every step records who did it and when (a null actor is the scheduler).

`post_publish` is the one way a person puts a post out (pages, API, anything added later): it
enforces four-eyes approval when the admin turned it on (content/review.py) and the actor's
entity scope (accounts/scopes.py).

Each step a person takes is written to the audit log here, once, whichever way it came in (the
pages and the API call these functions and record nothing of their own); `through` names the
way when it is not a page ("API")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import scope_of
from portevoix.content.compliance import compliance_settings
from portevoix.content.errors import ContentError
from portevoix.content.messages import message_problems
from portevoix.content.models import Post, PostAction, PostEvent, PostStatus
from portevoix.content.review import approval_required, post_snapshot
from portevoix.content.signals import post_published
from portevoix.core.audit import audit_record

# action → the statuses it may start from
ALLOWED_FROM: dict[str, set[str]] = {
    PostAction.SUBMITTED: {PostStatus.DRAFT},
    PostAction.PUBLISHED: {PostStatus.DRAFT, PostStatus.IN_REVIEW, PostStatus.EXPIRED},
    PostAction.SCHEDULED: {PostStatus.DRAFT, PostStatus.IN_REVIEW, PostStatus.EXPIRED},
    PostAction.RETURNED: {
        PostStatus.IN_REVIEW,
        PostStatus.SCHEDULED,
        PostStatus.PUBLISHED,
        PostStatus.EXPIRED,
        PostStatus.ARCHIVED,
    },
    PostAction.ARCHIVED: {
        PostStatus.DRAFT,
        PostStatus.IN_REVIEW,
        PostStatus.SCHEDULED,
        PostStatus.PUBLISHED,
        PostStatus.EXPIRED,
    },
}


def post_event_record(
    *,
    post: Post,
    action: str,
    actor: Person | None,
    from_status: str = "",
    note: str = "",
    changed_fields: str = "",
    snapshot: dict[str, str] | None = None,
) -> PostEvent:
    return PostEvent.objects.create(
        post=post,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=post.status,
        note=note,
        changed_fields=changed_fields,
        snapshot=snapshot or {},
    )


def _check_allowed(post: Post, action: str) -> None:
    if post.status not in ALLOWED_FROM[action]:
        raise ContentError(
            _("A post that is « %(status)s » cannot be %(action)s.")
            % {"status": post.get_status_display(), "action": PostAction(action).label}
        )


def _move(*, post: Post, action: str, to: str, actor: Person | None, note: str = "") -> Post:
    _check_allowed(post, action)
    before = post.status
    post.status = to
    post.save(update_fields=["status", "published_at"])
    post_event_record(post=post, action=action, actor=actor, from_status=before, note=note)
    if to == PostStatus.PUBLISHED:
        _announce(post)
    return post


def _audit_step(
    action: str, *, post: Post, actor: Person, through: str, note: str | None = None
) -> None:
    details: dict[str, Any] = {}
    if note is not None:  # a step that takes a comment keeps it, even an empty one
        details["note"] = note
    if through:
        details["through"] = through
    audit_record(actor=actor, action=action, target=post, **details)


def _announce(post: Post) -> None:
    transaction.on_commit(lambda: post_published.send(sender=Post, post=post))


def post_publish_problems(*, post: Post, now: datetime) -> list[str]:
    """What stops this post from going to ambassadors."""
    problems = []
    if post.is_shareable and not post.url:
        problems.append(_("A post ambassadors share needs a destination URL."))
    start = post.published_at if post.published_at and post.published_at > now else now
    if post.expires_at and post.expires_at <= start:
        problems.append(_("The expiry date must come after the publication date."))
    rules = compliance_settings()
    for message in post.messages.all():
        for problem in message_problems(network=message.network, text=message.text, rules=rules):
            problems.append(
                _("Suggested message « %(start)s… »: %(problem)s")
                % {"start": message.text[:40], "problem": problem}
            )
    return problems


def post_submit(*, post: Post, actor: Person, through: str = "") -> Post:
    with transaction.atomic():
        _move(post=post, action=PostAction.SUBMITTED, to=PostStatus.IN_REVIEW, actor=actor)
        _audit_step("post_submitted", post=post, actor=actor, through=through)
    return post


def post_publish_refusal(*, post: Post, actor: Person) -> str | None:
    """Why this person may not put this post out; None when they may."""
    problem = scope_of(actor).audience_problem(post.target_groups.values_list("pk", flat=True))
    if problem:
        return problem
    if approval_required():
        if post.status != PostStatus.IN_REVIEW:
            return _(
                "Four-eyes approval is on: send the post for review; another editor approves it."
            )
        if post.author_id is not None and post.author_id == actor.pk:
            return _("You wrote this post: another editor must approve it.")
        if actor.pk in _hands_since_approval(post):
            return _(
                "You wrote, changed or submitted this post since its last approval: another "
                "editor must approve it."
            )
    return None


def _hands_since_approval(post: Post) -> set[Any]:
    """Who created, edited or submitted the post since its last approval (all of its history
    when never approved): a second pair of eyes is someone who did none of these. This also
    covers a post whose author's account was erased (author null)."""
    events = post.events.all()
    last = post.events.filter(action=PostAction.APPROVED).order_by("-at", "-pk").first()
    if last is not None:
        events = events.filter(Q(at__gt=last.at) | Q(at=last.at, pk__gt=last.pk))
    return set(
        events.filter(
            action__in=(PostAction.CREATED, PostAction.EDITED, PostAction.SUBMITTED),
            actor__isnull=False,
        ).values_list("actor_id", flat=True)
    )


def post_publish(
    *,
    post: Post,
    actor: Person,
    now: datetime | None = None,
    note: str = "",
    through: str = "",
) -> Post:
    """Published at once, or scheduled when its publication date is in the future. With
    four-eyes approval on, this is the approval: only of a post in review, never by its
    author, and recorded with what was approved."""
    now = now or timezone.now()
    _check_allowed(post, PostAction.PUBLISHED)
    if refusal := post_publish_refusal(post=post, actor=actor):
        raise ContentError(refusal)
    problems = post_publish_problems(post=post, now=now)
    if problems:
        raise ContentError(" ".join(problems))
    with transaction.atomic():
        if approval_required():
            post_event_record(
                post=post,
                action=PostAction.APPROVED,
                actor=actor,
                from_status=post.status,
                note=note,
                snapshot=post_snapshot(post),
            )
            _audit_step("post_approved", post=post, actor=actor, through=through, note=note)
        if post.published_at and post.published_at > now:
            _move(post=post, action=PostAction.SCHEDULED, to=PostStatus.SCHEDULED, actor=actor)
            _audit_step("post_scheduled", post=post, actor=actor, through=through)
            return post
        post.published_at = now
        _move(post=post, action=PostAction.PUBLISHED, to=PostStatus.PUBLISHED, actor=actor)
        _audit_step("post_published", post=post, actor=actor, through=through)
        return post


def post_return_to_draft(*, post: Post, actor: Person, note: str = "", through: str = "") -> Post:
    """Back to its author, with a comment (sending back a post in review)."""
    with transaction.atomic():
        _move(post=post, action=PostAction.RETURNED, to=PostStatus.DRAFT, actor=actor, note=note)
        _audit_step("post_returned", post=post, actor=actor, through=through, note=note)
    return post


def post_archive(*, post: Post, actor: Person, through: str = "") -> Post:
    with transaction.atomic():
        _move(post=post, action=PostAction.ARCHIVED, to=PostStatus.ARCHIVED, actor=actor)
        _audit_step("post_archived", post=post, actor=actor, through=through)
    return post


def posts_publish_due(*, now: datetime | None = None) -> int:
    """Scheduled posts whose time has come become published, with nobody acting."""
    now = now or timezone.now()
    done = 0
    due = Post.objects.filter(status=PostStatus.SCHEDULED, published_at__lte=now)
    for post in due.exclude(expires_at__lte=now):
        with transaction.atomic():
            # The conditional update keeps two workers from publishing (and recording) it twice.
            if not Post.objects.filter(pk=post.pk, status=PostStatus.SCHEDULED).update(
                status=PostStatus.PUBLISHED
            ):
                continue
            post.status = PostStatus.PUBLISHED
            post_event_record(
                post=post, action=PostAction.PUBLISHED, actor=None, from_status=PostStatus.SCHEDULED
            )
            # The audit log shows when the post went out, not only when it was scheduled.
            audit_record(actor=None, action="post_published", target=post, through="scheduler")
            _announce(post)
            done += 1
    return done


def posts_expire_due(*, now: datetime | None = None) -> int:
    """Posts past their expiry date leave the feed's records too."""
    now = now or timezone.now()
    done = 0
    live = (PostStatus.SCHEDULED, PostStatus.PUBLISHED)
    for post in Post.objects.filter(status__in=live, expires_at__lte=now):
        with transaction.atomic():
            if not Post.objects.filter(pk=post.pk, status=post.status).update(
                status=PostStatus.EXPIRED
            ):
                continue
            before, post.status = post.status, PostStatus.EXPIRED
            post_event_record(post=post, action=PostAction.EXPIRED, actor=None, from_status=before)
            audit_record(actor=None, action="post_expired", target=post, through="scheduler")
            done += 1
    return done
