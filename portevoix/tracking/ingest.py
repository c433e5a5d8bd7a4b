"""Ingestion: drain the inbox in batches, classify, store clicks, add rollups, tell the others.

Each batch is one transaction on the main database that writes the clicks, adds the rollups and
consumes the batch (moves the segment's checkpoint, or deletes the PostgreSQL inbox rows): a
crash at any point leaves either all of it or none of it, and a re-run starts after the last
batch that committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.core.memory import cyclic_gc_paused
from portevoix.core.postgres import binary_cursor
from portevoix.tracking.classify import Classifier
from portevoix.tracking.counters import Dimension
from portevoix.tracking.inbox import (
    INBOX_COLUMNS,
    RawClick,
    inbox_directory,
    inbox_is_postgres,
    log_checkpoints,
    postgres_inbox_claim,
    postgres_inbox_delete,
    spool_ship_here,
)
from portevoix.tracking.inbox_log import (
    records,
    segment_is_finished,
    segment_torn_bytes,
    segments,
)
from portevoix.tracking.models import Click, ClickKind, IngestCheckpoint, TrackedLink
from portevoix.tracking.rollups import (
    BOT,
    PROPERTY_OF_KIND,
    REPEAT,
    SCANNER,
    SELF,
    VERIFIED,
    Attribution,
    Buckets,
    ClassifiedClick,
    Counting,
    clicks_counted,
    counting_add,
    visitors_wanted,
)
from portevoix.tracking.scanners import SCANNER_MARK, burst_visitors, in_burst
from portevoix.tracking.seen import (
    address_bits,
    db_datetime_converter,
    scope_bits,
    seen_claim,
    seen_preview,
    visitor_bits,
)
from portevoix.tracking.signals import clicks_ingested, verified_clicks_ingested

log = logging.getLogger(__name__)

LOOKUP_CHUNK = 10_000
# Browsers of one address on one link within these fixed windows of Unix time are one visitor:
# rotating the user agent must not make clicks (docs/metrics.md, verified click). Ten minutes
# also merge colleagues behind one office address who click the same link at once.
ADDRESS_WINDOW = 600
_classifier = Classifier()  # its caches outlive batches: the worker sees the same agents again


@dataclass
class IngestReport:
    batches: int = 0
    raw: int = 0  # inbox rows consumed
    stored: int = 0  # clicks written (the rest: unknown code, or an ambassador no longer tracked)
    by_kind: dict[str, int] = field(default_factory=dict)


def attributions_for(codes: set[str]) -> dict[str, Attribution]:
    """The links of these codes whose ambassador is still tracked (active and opted in)."""
    wanted = sorted(codes)
    links: list[tuple[str, int, int, int, str, int | None]] = []
    for start in range(0, len(wanted), LOOKUP_CHUNK):  # SQLite caps the parameters of a query
        links += TrackedLink.objects.filter(
            code__in=wanted[start : start + LOOKUP_CHUNK],
            ambassador__is_active=True,
            ambassador__opted_in_at__isnull=False,
        ).values_list("code", "id", "post_id", "ambassador_id", "network", "post__campaign_id")
    people = sorted({row[3] for row in links})
    groups: dict[int, list[int]] = {}
    for start in range(0, len(people), LOOKUP_CHUNK):
        memberships = Person.groups.through.objects.filter(
            person_id__in=people[start : start + LOOKUP_CHUNK]
        )
        for person_id, group_id in memberships.values_list("person_id", "group_id"):
            groups.setdefault(person_id, []).append(group_id)
    return {
        code: Attribution(
            link_id=link_id,
            post_id=post_id,
            ambassador_id=ambassador_id,
            network=network,
            campaign_id=campaign_id,
            group_ids=tuple(sorted(groups.get(ambassador_id, ()))),
        )
        for code, link_id, post_id, ambassador_id, network, campaign_id in links
    }


def _links_locked(attributions: dict[str, Attribution]) -> dict[str, Attribution]:
    """The attributions whose link still exists, the links locked as a foreign key would lock
    them (`FOR KEY SHARE`): once for the batch rather than once per click (the click table has
    no foreign-key constraint, models.py). A link being deleted is locked by its deletion first
    (receivers.py): this waits for it and leaves it out, and a deletion that comes after waits
    for this batch and deletes its clicks too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM tracking_trackedlink WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE",
            [sorted({attribution.link_id for attribution in attributions.values()})],
        )
        kept = {row[0] for row in cursor.fetchall()}
    return {code: found for code, found in attributions.items() if found.link_id in kept}


def clicks_record(
    *, raw: Sequence[RawClick], classifier: Classifier | None = None
) -> list[ClassifiedClick]:
    """Classify raw clicks, store them and add them to the rollups. Call inside a transaction
    that also consumes them."""
    return clicks_claim_and_count(clicks_store(raw=raw, classifier=classifier))


@dataclass
class StoredClicks:
    """A batch's clicks classified from a preview of the seen sets (`seen_preview`) and
    stored, their counts worked out: what `clicks_claim_and_count` needs to finish the batch."""

    classified: list[ClassifiedClick]
    counting: Counting
    firsts: set[int]
    by_address: dict[str, dict[int, int]]
    candidates: list[tuple[int, str, int]]


def clicks_store(*, raw: Sequence[RawClick], classifier: Classifier | None = None) -> StoredClicks:
    """The first part of `clicks_record`: nearly all of its Python work, and none of the locks
    other batches wait for until the commit (the seen sets are only read, the counters not
    touched)."""
    # This runs for every click, a million a minute at full load: methods are looked up once,
    # and the day is only worked out again when a click is in another quarter of an hour.
    classifier = classifier or _classifier
    attributions = attributions_for({row.code for row in raw})
    if attributions and connection.vendor == "postgresql":
        # Here, not in attributions_for: a conversion has a foreign key of its own.
        attributions = _links_locked(attributions)
    buckets = Buckets()
    agent, is_self = classifier.agent, classifier.is_self
    link_bits: dict[int, int] = {}
    # Visitors who opened several links within seconds: a scanner reading a mail (scanners.py).
    bursts = burst_visitors((row.visitor, row.at, row.code) for row in raw)
    # A person's click is verified when it is the first on its link (1) of its address in its
    # ADDRESS_WINDOW, then (2) of its visitor that day. Per day, the digest of (link, address,
    # window) → position of the batch's first such click; and (position, day, digest of (link,
    # visitor)) of every click that may be verified.
    by_address: dict[str, dict[int, int]] = {}
    candidates: list[tuple[int, str, int]] = []
    pending: list[tuple[RawClick, Attribution, int, str]] = []
    quarter, day = None, ""
    day_addresses: dict[int, int] = {}
    window, window_bits = None, 0
    for row in raw:
        attribution = attributions.get(row.code)
        if attribution is None:
            continue  # unknown, deleted, or its ambassador opted out: not tracked
        bot, scanner_agent, device = agent(row.user_agent)
        if bot:
            kind = BOT
        elif (
            scanner_agent
            or row.self_token == SCANNER_MARK
            or (bursts and in_burst(bursts, row.visitor, row.at))
        ):
            kind = SCANNER
        elif row.self_token and is_self(row.self_token, attribution.ambassador_id):
            kind = SELF
        else:
            kind = VERIFIED  # unless this visitor already clicked this link today: see below
            bits = link_bits.get(attribution.link_id)
            if bits is None:
                bits = link_bits[attribution.link_id] = scope_bits(
                    f"{Dimension.LINK}:{attribution.link_id}"
                )
            if row.at // 900 != quarter:
                quarter = row.at // 900
                day = buckets.day(row.at)[1]
                day_addresses = by_address.setdefault(day, {})
            if row.at // ADDRESS_WINDOW != window:
                window = row.at // ADDRESS_WINDOW
                window_bits = scope_bits(f"address-window:{int(window)}")
            position = len(pending)
            day_addresses.setdefault(address_bits(row.visitor) ^ bits ^ window_bits, position)
            candidates.append((position, day, visitor_bits(row.visitor) ^ bits))
        pending.append((row, attribution, kind, device))

    # Classified from the claims already committed (seen_preview), then stored and counted;
    # claimed for real only at the end (seen_claim), because a claim locks its day until the
    # commit and another worker's batch waits for that lock. A claim that another worker
    # committed in between changes a few clicks: they are corrected before the commit.
    firsts = _firsts(seen_preview, by_address, candidates)
    with clicks_writer() as write:
        classified = _classified(pending, firsts, classifier, write)
        # Counted while PostgreSQL stores the rows just sent: this Python work and the server's
        # overlap, instead of each waiting for the other (docs/tracking.md).
        counting = clicks_counted(clicks=classified, buckets=buckets)
    return StoredClicks(classified, counting, firsts, by_address, candidates)


def clicks_claim_and_count(stored: StoredClicks) -> list[ClassifiedClick]:
    """The end of `clicks_record`: claim the batch's visitors in the seen sets, correct the
    few clicks a claim committed meanwhile changed, and add to the counters. From the claim
    on, the batch holds locks that other batches wait for until its commit."""
    classified, counting, firsts = stored.classified, stored.counting, stored.firsts
    buckets = counting.buckets
    claimed = _firsts(seen_claim, stored.by_address, stored.candidates)
    if claimed != firsts:
        # A click is verified or a repeat by its position in `firsts`: only those whose answer
        # changed are stored and counted again (their old kinds' counts taken back).
        flipped = sorted(claimed ^ firsts)
        before = [classified[position] for position in flipped]
        for position in flipped:
            kind = VERIFIED if position in claimed else REPEAT
            classified[position] = classified[position]._replace(kind=kind)
        after = [classified[position] for position in flipped]
        kinds_change(after)
        counting.counts.update(clicks_counted(clicks=after, buckets=buckets).counts)
        counting.counts.subtract(clicks_counted(clicks=before, buckets=buckets).counts)
        if not _visitors_already_seen(before, after, buckets):
            counting.visitors = visitors_wanted(classified, buckets)
    counting_add(counting)
    # As `verified_clicks_ingested` sends them, from the final kinds.
    verified = [
        (
            click.click_id,
            click.attribution.link_id,
            click.attribution.ambassador_id,
            click.attribution.post_id,
            click.at,
        )
        for click in classified
        if click.kind == VERIFIED
    ]
    if verified:
        transaction.on_commit(
            lambda: verified_clicks_ingested.send(sender=ClassifiedClick, clicks=verified)
        )
    return classified


def _visitors_already_seen(
    before: list[ClassifiedClick], after: list[ClassifiedClick], buckets: Buckets
) -> bool:
    """Whether the batch's unique-visitor digests can stay as they are after a correction:
    no click became verified, and every digest of the clicks that stopped being verified is
    in the seen sets already (the other worker's batch that took their visitor's click on
    their link claimed them). Claiming such a digest again adds nothing, so keeping it counts
    exactly what taking it out would. Otherwise the batch's digests are worked out again from
    its final kinds: a whole pass over the batch, which this check spares the usual correction
    of two workers (docs/tracking.md)."""
    if any(click.kind == VERIFIED for click in after):
        return False
    # Called after the claim: the days' locks are held, so the answer holds until the commit.
    return not seen_preview(visitors_wanted(before, buckets))


def _firsts(
    claim: Callable[[dict[str, dict[int, int]]], list[int]],
    by_address: dict[str, dict[int, int]],
    candidates: list[tuple[int, str, int]],
) -> set[int]:
    """Positions of the clicks that are the first of their visitor on their link that day,
    as `claim` (seen_preview or seen_claim) answers. In two steps, so that a browser that lost
    to another of its address is not marked seen: it is counted if it comes back later, in a
    window of its own."""
    firsts_of_address = set(claim(by_address))
    wanted: dict[str, dict[int, int]] = {}
    for position, day, digest in candidates:
        if position in firsts_of_address:
            wanted.setdefault(day, {}).setdefault(digest, position)
    return set(claim(wanted))


def _classified(
    pending: list[tuple[RawClick, Attribution, int, str]],
    firsts: set[int],
    classifier: Classifier,
    write: Callable[[tuple], object],
) -> list[ClassifiedClick]:
    """The batch's clicks with their kind; their rows for the click table go to `write`."""
    referrer_host = classifier.referrer_host
    classified: list[ClassifiedClick] = []
    convert = db_datetime_converter()
    seconds: dict[int, datetime | str] = {}
    for position, (row, attribution, kind, device) in enumerate(pending):
        at = row.at
        if kind == VERIFIED and position not in firsts:
            kind = REPEAT
        classified.append(
            _new_tuple(ClassifiedClick, (row.click_id, at, kind, row.visitor, attribution))
        )
        # Click times are kept to the second: clicks of the same second share one conversion.
        second = int(at)
        when = seconds.get(second)
        if when is None:
            when = seconds[second] = convert(float(second))
        write(
            (
                row.click_id,
                attribution.link_id,
                when,
                kind,
                row.visitor,
                device,
                referrer_host(row.referrer),
            )
        )
    return classified


def kinds_change(clicks: Sequence[ClassifiedClick]) -> None:
    """Store these stored clicks' kinds again (ingestion's corrections: few clicks, seldom)."""
    by_kind: dict[int, list[str]] = {}
    for click in clicks:
        by_kind.setdefault(click.kind, []).append(click.click_id)
    for kind, click_ids in by_kind.items():
        for start in range(0, len(click_ids), LOOKUP_CHUNK):
            Click.objects.filter(click_id__in=click_ids[start : start + LOOKUP_CHUNK]).update(
                kind=kind
            )


CLICK_COLUMNS = '(click_id, link_id, "at", kind, visitor, device, referrer_host)'


# PostgreSQL types of CLICK_COLUMNS, for a binary COPY.
CLICK_TYPES = ["varchar", "int8", "timestamptz", "int2", "varchar", "varchar", "varchar"]


@contextmanager
def clicks_writer() -> Iterator[Callable[[tuple], object]]:
    """A function that stores a click's row (CLICK_COLUMNS); every row is in when the block
    ends. On PostgreSQL the rows stream to the server by COPY as they are written, and the
    server stores them while the block goes on: work done inside overlaps with the server's."""
    if connection.vendor == "postgresql":
        # COPY: one stream instead of a statement per row, several times faster there; in
        # binary, a quarter of the text format's time (core/postgres.py).
        with (
            binary_cursor() as binary,
            binary.copy(f"COPY tracking_click {CLICK_COLUMNS} FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(CLICK_TYPES)
            yield copy.write_row
        return
    rows: list[tuple] = []
    yield rows.append
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO tracking_click {CLICK_COLUMNS} VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


# Builds a named tuple (RawClick, ClassifiedClick) from a tuple without the generated
# __new__ and its argument handling: a million of each per minute at full load.
_new_tuple = tuple.__new__


Batch = tuple[list[ClassifiedClick], int]  # the clicks stored, the inbox rows consumed


def _checkpoint_move(name: str, start: int, end: int) -> bool:
    """Claim [start, end) of a segment. The conditional write is the claim: a concurrent run
    that got there first makes this one change nothing (it re-reads from the new offset)."""
    if start == 0:
        try:
            with transaction.atomic():
                IngestCheckpoint.objects.create(name=name, last_id=end)
            return True
        except IntegrityError:
            return False
    moved = IngestCheckpoint.objects.filter(name=name, last_id=start).update(
        last_id=end, updated_at=timezone.now()
    )
    return moved == 1


def _ingest_log_batch(limit: int) -> Batch | None:
    """The next records of the oldest segment with something left, about `limit` clicks."""
    done = log_checkpoints()
    for path in segments(inbox_directory()):
        start = end = done.get(path.name, 0)
        rows: list[list] = []
        width = len(INBOX_COLUMNS)
        for record in records(path, start):
            # A row of another shape cannot come from this version's redirect: skipping it
            # beats stopping ingestion for good.
            rows.extend(row for row in record.rows if len(row) == width)
            end = record.end
            if len(rows) >= limit:
                break
        if end == start:
            continue  # nothing new in this segment
        raw = [_new_tuple(RawClick, (0, *row)) for row in rows]
        with transaction.atomic():
            if not _checkpoint_move(path.name, start, end):
                return [], 0
            return clicks_record(raw=raw), len(raw)
    return None


def log_segments_cleanup() -> int:
    """Delete segments that are fully ingested and can no longer grow, with their checkpoint."""
    done = log_checkpoints()
    deleted = 0
    for path in segments(inbox_directory()):
        offset = done.get(path.name, 0)
        if segment_is_finished(path, offset):
            torn = segment_torn_bytes(path, offset)
            if torn:
                # Never acknowledged (a click's 302 waits for its whole record), so no click
                # is lost; said so that a crash or damage on the disk does not go unnoticed.
                log.warning(
                    "click inbox: segment %s ends with %d bytes that are no intact record "
                    "(a writer killed while appending, or damage): skipped",
                    path.name,
                    torn,
                )
            path.unlink(missing_ok=True)
            IngestCheckpoint.objects.filter(name=path.name).delete()
            deleted += 1
    return deleted


# Ingestion threads of one process (HUEY_WORKERS) store their batches one at a time, and each
# claims and counts its batch while the next one is being stored. Started together, two
# batches went in step: both threads' Python at once on one interpreter lock, then both
# waiting on the server, the second also for the first's commit (the seen sets' day lock and
# the counter rows they both add to). In turns, one batch's Python runs while the other's
# server work does. A thread waits for its turn before its transaction takes any lock, and
# never takes it again before its commit: no lock cycle with the database's.
_store_turn = threading.Lock()


def _ingest_postgres_batch(limit: int) -> Batch | None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The batch consumes its inbox rows in its own transaction: if a crash of the
            # PostgreSQL server loses this commit, the rows come back and the batch is done
            # again, so the commit need not wait for the disk (a batch's commit waited up to
            # 0.2 s, a tenth of its time).
            cursor.execute("SET LOCAL synchronous_commit = off")
        with _store_turn:
            groups, rows = postgres_inbox_claim(limit)
            if not groups:
                return None
            stored = clicks_store(raw=rows)
        classified = clicks_claim_and_count(stored)
        postgres_inbox_delete(groups)
    return classified, len(rows)


def clicks_ingest(
    *,
    batch_size: int | None = None,
    max_batches: int | None = None,
    max_seconds: float | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Drain the inbox until it is empty (or a limit is reached)."""
    batch_size = batch_size or settings.CLICK_INGEST_BATCH
    report = IngestReport()
    deadline = time.monotonic() + max_seconds if max_seconds else None
    postgres = inbox_is_postgres()
    if postgres:
        spool_ship_here()  # this machine's own clicks first, if it serves redirects too
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Seen-visitor and counter indexes are written at random places: keep them in memory.
            cursor.execute("PRAGMA cache_size = -65536")
    while max_batches is None or report.batches < max_batches:
        if deadline is not None and time.monotonic() > deadline:
            break
        with cyclic_gc_paused():
            result = (
                _ingest_postgres_batch(batch_size) if postgres else _ingest_log_batch(batch_size)
            )
        if result is None:
            break
        classified, consumed = result
        if not consumed:
            continue
        report.batches += 1
        report.raw += consumed
        report.stored += len(classified)
        transaction.on_commit(lambda: clicks_ingested.send(sender=IngestReport))
        for kind, number in Counter(click.kind for click in classified).items():
            name = PROPERTY_OF_KIND[ClickKind(kind)]
            report.by_kind[name] = report.by_kind.get(name, 0) + number
        if on_batch is not None:
            on_batch(report.batches, consumed)
    if not postgres:
        log_segments_cleanup()
    return report
