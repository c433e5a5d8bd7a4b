"""The compliance archive (docs/governance.md): every text shared or published, as it was, in its
own hash chain (core/chain.py), exportable for a period as CSV or JSON lines.

Erasure anonymises shares (PRODUCT.md): the archive follows — the person's name and their text
are cleared with the salt of their digests, and the entry is marked erased. The chain covers the
digests, so it verifies before and after; what an erased entry no longer says is who and what.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.core.chain import (
    ChainBreak,
    chain_append,
    chain_purge,
    chain_salt,
    chain_verify,
    salted_digest,
)
from portevoix.core.retention import RetentionKind
from portevoix.sharing.models import ArchiveEntry, Share

if TYPE_CHECKING:
    from portevoix.accounts.models import Person

CHAIN = "archive"
# The years an exported period may span, as the REST API's dates (api/schemas.py).
FIRST_YEAR, LAST_YEAR = 2000, 9000
COLUMNS = ["entry", "at", "person", "network", "post_id", "post", "link", "text", "hash"]


def archive_chained_content(entry: ArchiveEntry) -> dict[str, Any]:
    return {
        "at": entry.at.astimezone(UTC).isoformat(),
        "network": entry.network,
        "post": entry.post_id_copy,
        "post_title": entry.post_title,
        "link": entry.link,
        "person": entry.person_digest,
        "text": entry.text_digest,
    }


def archive_record(share: Share) -> ArchiveEntry:
    """Archive a share as it is now (called in the transaction that records it)."""
    salt = chain_salt()
    person_name = f"{share.person} <{share.person.email}>" if share.person else ""
    entry = ArchiveEntry(
        share=share,
        person=share.person,
        person_name=person_name,
        network=share.network,
        at=share.created_at,
        post_id_copy=share.post_id,
        post_title=share.post.title[:300],
        link=share.tracked_link.short_url if share.tracked_link else "",
        text=share.text,
        salt=salt,
        person_digest=salted_digest(salt, person_name),
        text_digest=salted_digest(salt, share.text),
    )
    return chain_append(CHAIN, entry, archive_chained_content)


def archive_verify() -> Iterator[ChainBreak]:
    yield from chain_verify(
        CHAIN, ArchiveEntry.objects.order_by("id").iterator(), archive_chained_content
    )
    for entry in ArchiveEntry.objects.filter(erased=False).order_by("id").iterator():
        if salted_digest(entry.salt, entry.person_name) != entry.person_digest:
            yield ChainBreak(entry.pk, "its person was changed (it no longer matches its digest)")
        if salted_digest(entry.salt, entry.text) != entry.text_digest:
            yield ChainBreak(entry.pk, "its text was changed (it no longer matches its digest)")


def archive_erase_person(person: Person) -> None:
    ArchiveEntry.objects.filter(person=person).update(
        person=None, person_name="", text="", salt="", erased=True
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def archive_entries(*, since: date, until: date) -> QuerySet[ArchiveEntry]:
    """The period's entries, both days included (organisation's time zone), in chain order."""
    return ArchiveEntry.objects.filter(
        at__gte=_day_start(since), at__lt=_day_start(until + timedelta(days=1))
    ).order_by("id")


def archive_row(entry: ArchiveEntry) -> list[Any]:
    return [
        entry.pk,
        timezone.localtime(entry.at).isoformat(),
        entry.person_name,
        entry.network,
        entry.post_id_copy,
        entry.post_title,
        entry.link,
        entry.text,
        entry.hash,
    ]


def archive_json_lines(entries: QuerySet[ArchiveEntry]) -> Iterator[str]:
    """One JSON object per line, with the chain's links so a reader can re-check them."""
    for entry in entries.iterator():
        record = dict(zip(COLUMNS, archive_row(entry), strict=True))
        record["previous_hash"] = entry.previous_hash
        record["erased"] = entry.erased
        yield json.dumps(record, ensure_ascii=False) + "\n"


def archive_older_purge(older_than: datetime) -> int:
    return chain_purge(CHAIN, ArchiveEntry.objects.all(), older_than=older_than, at_field="at")


def share_texts_older_clear(older_than: datetime) -> int:
    """The share rows stay (they are the share counts); their words go."""
    old = Share.objects.filter(created_at__lt=older_than).exclude(text="", fingerprint="")
    cleared = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:10_000]):
        cleared += Share.objects.filter(pk__in=ids).update(text="", fingerprint="")
    return cleared


KINDS = [
    RetentionKind(
        code="share_texts",
        label=_("Texts of shares"),
        rule=_(
            "Older shares lose their text; the share itself stays counted (post, network, day). "
            "The compliance archive keeps its own copy for its own period."
        ),
        default_days=730,
        min_days=90,
        max_days=3650,
        purge=share_texts_older_clear,
    ),
    RetentionKind(
        code="archive",
        label=_("Compliance archive"),
        rule=_(
            "Older archive entries are deleted; the hash of the last one deleted is kept, so "
            "the rest of the chain still verifies."
        ),
        default_days=2555,
        min_days=365,
        max_days=3650,
        purge=archive_older_purge,
    ),
]
