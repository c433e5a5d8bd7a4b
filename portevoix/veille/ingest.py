"""Storing what a feed gave: deduplicated items, their tone, and the watches they match."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction

from portevoix.veille.feeds import ItemData
from portevoix.veille.models import Item, Source
from portevoix.veille.text import canonical_url, fold, plain_text
from portevoix.veille.tone import tone_of
from portevoix.veille.watches import mentions_create_for_items

TONE_TEXT_CHARS = 600
# The link and the canonical URL (which percent-encoding can make longer than the link) are
# stored whole or the entry is skipped: a feed's one bad entry must not stop the others.
LINK_MAX = Item._meta.get_field("link").max_length or 2000
CANONICAL_URL_MAX = Item._meta.get_field("canonical_url").max_length or 2000


def title_date_key(title: str, published_at: datetime | None) -> str:
    """The last resort of deduplication: same title, same day."""
    day = published_at.date().isoformat() if published_at else ""
    return hashlib.sha256(f"{fold(title)}|{day}".encode()).hexdigest()


def items_store(*, source: Source, entries: list[ItemData], now: datetime) -> list[Item]:
    """Keep the entries not seen before: by GUID (in this source), then by canonical URL (in
    any source: the same article reached through two feeds), then by title and date. An
    entry whose link or canonical URL is longer than its column is skipped."""
    keyed = [
        (entry, url, title_date_key(entry.title, entry.published_at))
        for entry in entries
        if len(entry.link) <= LINK_MAX
        and len(url := canonical_url(entry.link)) <= CANONICAL_URL_MAX
    ]
    seen_guids = set(
        Item.objects.filter(
            source=source, guid__in=[e.guid for e, _, _ in keyed if e.guid]
        ).values_list("guid", flat=True)
    )
    seen_urls = set(
        Item.objects.filter(canonical_url__in=[u for _, u, _ in keyed if u]).values_list(
            "canonical_url", flat=True
        )
    )
    seen_keys = set(
        Item.objects.filter(source=source, title_date_key__in=[k for _, _, k in keyed]).values_list(
            "title_date_key", flat=True
        )
    )
    new_items = []
    for entry, url, key in keyed:
        if (entry.guid and entry.guid in seen_guids) or (url and url in seen_urls):
            continue
        if key in seen_keys:
            continue
        seen_guids.add(entry.guid)
        seen_urls.add(url)
        seen_keys.add(key)
        new_items.append(item_build(source=source, entry=entry, url=url, key=key, now=now))
    with transaction.atomic():
        created = Item.objects.bulk_create(new_items)
        mentions_create_for_items(items=created)
    return created


def item_build(*, source: Source, entry: ItemData, url: str, key: str, now: datetime) -> Item:
    summary_text = plain_text(entry.summary)
    tone = tone_of(f"{entry.title}. {summary_text[:TONE_TEXT_CHARS]}", language=entry.language)
    # A date in the future would pin an item to the top of the inbox.
    dated_at = min(entry.published_at or now, now)
    return Item(
        source=source,
        guid=entry.guid,
        canonical_url=url,
        title_date_key=key,
        link=entry.link,
        title=entry.title or entry.link[:500],
        summary=entry.summary,
        image_url=entry.image_url,
        author=entry.author,
        published_at=entry.published_at,
        fetched_at=now,
        dated_at=dated_at,
        language=tone.language,
        tone=tone.label,
        tone_score=tone.score,
        folded_text=fold(f"{entry.title} {summary_text}"),
    )
