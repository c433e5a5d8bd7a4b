"""The curation inbox: what is new, and what an editor does with an item."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.content.drafts import post_create_draft
from portevoix.content.models import Post
from portevoix.content.selectors import posts_visible
from portevoix.veille.models import Item
from portevoix.veille.selectors import watches_visible
from portevoix.veille.text import plain_text

STATUSES = ("new", "used", "dismissed", "all")
PREVIEW_CHARS = 300


def inbox_items(
    *,
    status: str = "new",
    source_id: int | None = None,
    topic_id: int | None = None,
    watch_id: int | None = None,
    tone: str = "",
    viewer: Person | None = None,
) -> QuerySet[Item]:
    """Items newest first. 'new' is neither dismissed nor used yet. Given `viewer`, each item's
    watches are only those the viewer may see (selectors.watches_visible)."""
    watches = Prefetch("watches", queryset=watches_visible(viewer)) if viewer else "watches"
    items = Item.objects.select_related("source", "post").prefetch_related(watches)
    if status == "new":
        items = items.filter(dismissed_at__isnull=True, post__isnull=True, used_at__isnull=True)
    elif status == "used":
        items = items.filter(used_at__isnull=False)
    elif status == "dismissed":
        items = items.filter(dismissed_at__isnull=False)
    if source_id:
        items = items.filter(source_id=source_id)
    if topic_id:
        items = items.filter(source__topics=topic_id)
    if watch_id:
        items = items.filter(mentions__watch_id=watch_id)
    if tone:
        items = items.filter(tone=tone)
    return items.order_by("-dated_at", "-id").distinct()


def item_dismiss(*, item: Item, person: Person) -> None:
    item.dismissed_at, item.dismissed_by = timezone.now(), person
    item.save(update_fields=["dismissed_at", "dismissed_by"])


def item_restore(*, item: Item) -> None:
    item.dismissed_at, item.dismissed_by = None, None
    item.save(update_fields=["dismissed_at", "dismissed_by"])


def suggested_message(*, item: Item) -> str:
    """A first message for ambassadors, in the item's language."""
    with translation.override(item.language if item.language in ("fr", "en") else None):
        if item.source.is_job_board:
            return _("We are hiring: %(title)s") % {"title": item.title}
        return _("Worth reading: %(title)s") % {"title": item.title}


def item_draft_fields(*, item: Item) -> dict:
    """What the content hub is given to make a draft post of an item."""
    return {
        "title": item.title,
        "url": item.link,
        "kind": "job" if item.source.is_job_board else "link",
        "preview_title": item.title,
        "preview_description": plain_text(item.summary)[:PREVIEW_CHARS],
        "preview_image_url": item.image_url,
        "message": suggested_message(item=item),
        "topics": list(item.source.topics.all()),
    }


class DraftOutOfScope(Exception):
    """The item is already a post that this person's scope does not reach (another entity's
    editor retargeted it): neither the post nor its title is theirs to see."""


def item_to_draft(*, item: Item, person: Person) -> tuple[Post, bool]:
    """Turn an item into a draft post (once: a second click gives the same post back, if it
    is within the person's scope: DraftOutOfScope otherwise)."""
    with transaction.atomic():
        # No join under the lock: PostgreSQL cannot lock the nullable side of an outer join.
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.post is not None:
            if not posts_visible(person).filter(pk=item.post.pk).exists():
                raise DraftOutOfScope
            return item.post, False
        post = post_create_draft(author=person, **item_draft_fields(item=item))
        item.post, item.used_at, item.used_by = post, timezone.now(), person
        item.save(update_fields=["post", "used_at", "used_by"])
    return post, True
