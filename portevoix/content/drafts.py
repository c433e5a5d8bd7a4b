"""Creating a draft post: from the editor's form, an accepted suggestion or the curation inbox."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.content.compliance import with_disclosure
from portevoix.content.destinations import destination_url_problem
from portevoix.content.errors import ContentError
from portevoix.content.models import (
    Post,
    PostAction,
    PostKind,
    PostStatus,
    SuggestedMessage,
    Topic,
)
from portevoix.content.tasks import attach_preview_image
from portevoix.content.workflow import post_event_record


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


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
    """A new draft, recorded as created by `author` (None: the platform).

    `message` becomes a first suggested message for every network in the default language,
    with the mandatory disclosure tag added when it lacks it. Long titles are shortened; a bad
    URL or kind raises ContentError and creates nothing.
    """
    title = _clip(title, 200) or _clip(preview_title, 200)
    if not title:
        raise ContentError(_("A post needs a title."))
    if kind not in PostKind.values:
        raise ContentError(_("Unknown kind of post: %(kind)s.") % {"kind": kind})
    url = url.strip()
    if url and (problem := destination_url_problem(url)):
        raise ContentError(problem)
    if preview_image_url and destination_url_problem(preview_image_url):
        preview_image_url = ""  # a preview is a convenience: a doubtful image is dropped
    with transaction.atomic():
        post = Post.objects.create(
            title=title,
            url=url,
            kind=kind,
            commentary=commentary.strip(),
            preview_title=_clip(preview_title, 300),
            preview_description=preview_description.strip()[:1000],
            preview_image_url=preview_image_url.strip()[:2000],
            status=PostStatus.DRAFT,
            author=author,
        )
        post.topics.set(list(topics))
        if message.strip():
            SuggestedMessage.objects.create(
                post=post,
                network="",
                language=settings.LANGUAGE_CODE,
                text=with_disclosure(message.strip()),
            )
        post_event_record(post=post, action=PostAction.CREATED, actor=author)
        post_fetch_preview_image_later(post)
    return post


def post_fetch_preview_image_later(post: Post) -> None:
    """Once the post is saved, copy its preview image in the background."""
    if post.preview_image_url and not post.image:
        transaction.on_commit(lambda: attach_preview_image(post.pk))
