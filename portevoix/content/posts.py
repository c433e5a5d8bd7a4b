"""Creating and editing posts from the pilot team's form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import scope_of
from portevoix.content.destinations import destination_url_problem
from portevoix.content.drafts import post_create_draft, post_fetch_preview_image_later
from portevoix.content.errors import ContentError
from portevoix.content.images import image_extension, image_problem
from portevoix.content.messages import MessageData
from portevoix.content.models import Post, PostAction, PostStatus, SuggestedMessage
from portevoix.content.review import approval_required, post_snapshot
from portevoix.content.workflow import post_event_record
from portevoix.core.audit import audit_change, model_snapshot

# Plain fields the form may set, beyond those post_create_draft takes.
DETAIL_FIELDS = [
    "campaign",
    "open_to_alumni",
    "priority",
    "points",
    "published_at",
    "expires_at",
    "event_starts_at",
    "location",
]
DRAFT_FIELDS = [
    "title",
    "url",
    "kind",
    "commentary",
    "preview_title",
    "preview_description",
    "preview_image_url",
]


def _audience_check(actor: Person, data: dict[str, Any]) -> None:
    """A scoped editor's post stays within their scope (accounts/scopes.py)."""
    groups = [getattr(group, "pk", group) for group in data.get("target_groups", ())]
    if problem := scope_of(actor).audience_problem(groups):
        raise ContentError(problem)


def post_create(*, author: Person, data: dict[str, Any], messages: Iterable[MessageData]) -> Post:
    _audience_check(author, data)
    with transaction.atomic():
        post = post_create_draft(
            author=author,
            title=data["title"],
            url=data.get("url", ""),
            kind=data["kind"],
            commentary=data.get("commentary", ""),
            preview_title=data.get("preview_title", ""),
            preview_description=data.get("preview_description", ""),
            preview_image_url=data.get("preview_image_url", ""),
            topics=data.get("topics", ()),
        )
        _apply_details(post, data)
        _replace_messages(post, messages)
        audit_change(
            actor=author,
            action="post_created",
            target=post,
            before={},
            after=post_audit_snapshot(post),
        )
    return post


def post_audit_snapshot(post: Post) -> dict[str, Any]:
    """A post and its suggested messages, as the audit log compares them."""
    snapshot = model_snapshot(post)
    snapshot["messages"] = [m.text for m in post.messages.order_by("id")]
    return snapshot


def post_update(
    *, post: Post, actor: Person, data: dict[str, Any], messages: Iterable[MessageData]
) -> Post:
    """Saves the form's values; the event lists what changed. The destination of a post that
    ambassadors already hold links to cannot change (their links point to the old one)."""
    _audience_check(actor, data)
    new_url = data.get("url", "").strip()
    if new_url != post.url:
        if post.tracked_links.exists():
            raise ContentError(
                _("Ambassadors already share this post: its destination cannot change any more.")
            )
        if new_url and (problem := destination_url_problem(new_url)):
            raise ContentError(problem)
    if data.get("published_at") is None and post.status in (
        PostStatus.PUBLISHED,
        PostStatus.EXPIRED,
    ):
        # A live post keeps the date it went out: clearing the field must not hide it.
        data = {**data, "published_at": post.published_at}
    if data.get("published_at") is None and post.status == PostStatus.SCHEDULED:
        # Without its date a scheduled post would never go out (the form says so first).
        raise ContentError(_("A scheduled post needs its publication date."))
    changed = [
        name
        for name in DRAFT_FIELDS + DETAIL_FIELDS
        if name in data and _differs(getattr(post, name), data[name])
    ]
    messages = list(messages)
    if [(m.network, m.language, m.text) for m in messages] != [
        (m.network, m.language, m.text) for m in post.messages.all()
    ]:
        changed.append("messages")
    # An approved post that is out (or about to be) keeps what was approved: with four-eyes
    # approval on, changing its reviewed parts means sending it back to draft first.
    guarded = approval_required() and post.status in (PostStatus.SCHEDULED, PostStatus.PUBLISHED)
    approved = post_snapshot(post) if guarded else None
    before = post_audit_snapshot(post)
    with transaction.atomic():
        for name in DRAFT_FIELDS:
            if name in data:
                setattr(post, name, data[name] if name != "url" else new_url)
        post.topics.set(data.get("topics", ()))
        _apply_details(post, data)
        _replace_messages(post, messages)
        _keep_status_in_step(post)
        if approved is not None and post_snapshot(post) != approved:
            raise ContentError(
                _(
                    "Four-eyes approval is on: send this post back to draft before changing its "
                    "title, text, link, audience, messages, preview or image."
                )
            )
        post_event_record(
            post=post,
            action=PostAction.EDITED,
            actor=actor,
            from_status=post.status,
            changed_fields=",".join(changed),
        )
        audit_change(
            actor=actor,
            action="post_changed",
            target=post,
            before=before,
            after=post_audit_snapshot(post),
        )
    post_fetch_preview_image_later(post)
    return post


def _differs(current: Any, new: Any) -> bool:
    if hasattr(current, "pk"):
        current = current.pk
    if hasattr(new, "pk"):
        new = new.pk
    return (current or None) != (new or None)


def _apply_details(post: Post, data: dict[str, Any]) -> None:
    for name in DETAIL_FIELDS:
        if name in data:
            setattr(post, name, data[name])
    post.language_codes = data.get("languages", [])
    image = data.get("image")
    if image is False:  # "clear" ticked
        post.image = ""
    elif isinstance(image, UploadedFile):
        if problem := image_problem(image):
            raise ContentError(problem)
        post.image.save(f"upload.{image_extension(image)}", image, save=False)
    post.save()
    post.target_groups.set(data.get("target_groups", ()))


def _replace_messages(post: Post, messages: Iterable[MessageData]) -> None:
    post.messages.all().delete()
    SuggestedMessage.objects.bulk_create(
        SuggestedMessage(post=post, network=m.network, language=m.language, text=m.text.strip())
        for m in messages
        if m.text.strip()
    )


def _keep_status_in_step(post: Post) -> None:
    """A live post moved to a future date waits again; a scheduled one moved to the past goes
    out at the scheduler's next minute."""
    if (
        post.status == PostStatus.PUBLISHED
        and post.published_at
        and post.published_at > timezone.now()
    ):
        post.status = PostStatus.SCHEDULED
        post.save(update_fields=["status"])
