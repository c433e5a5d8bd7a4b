"""Click counters: `rollups_add()` turns classified clicks into hourly, daily and monthly counts.

The only writer of click rollups — ingestion, the demo and synthetic data all go through it.
It only adds: call it inside the transaction that marks the clicks as consumed (ingestion's
checkpoint), so that a re-run or a crash can never count a click twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db import connection

from portevoix.core.postgres import binary_cursor
from portevoix.tracking.counters import (
    CROSSED,
    VISITOR_DIMENSIONS,
    Dimension,
    Frequency,
    Property,
    crossed,
)
from portevoix.tracking.models import ClickKind
from portevoix.tracking.seen import db_datetime_converter, scope_bits, seen_claim, visitor_bits
from portevoix.tracking.settled import settled_changed_if_before
from portevoix.tracking.visitors import day_start, organisation_zone

HOUR, DAY, MONTH = Frequency.HOUR, Frequency.DAY, Frequency.MONTH
# Hourly counters for every dimension but the link: nothing reads a link's hours, and they
# were a quarter of the counter rows a batch adds to (docs/metrics.md).
LINK = Dimension.LINK
PROPERTY_OF_KIND = {
    ClickKind.VERIFIED: Property.VERIFIED,
    ClickKind.REPEAT: Property.REPEAT,
    ClickKind.SELF: Property.SELF,
    ClickKind.BOT: Property.BOT,
    ClickKind.SCANNER: Property.SCANNER,
}
CountKey = tuple[str, str, str, str, str, float]  # dimension, key, property, subgroup, freq, start
# Kinds as plain ints: hot loops compare them per click, and an IntEnum compares slower.
BOT, SELF, VERIFIED, REPEAT, SCANNER = (
    int(kind)
    for kind in (
        ClickKind.BOT,
        ClickKind.SELF,
        ClickKind.VERIFIED,
        ClickKind.REPEAT,
        ClickKind.SCANNER,
    )
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a click or conversion counts: its link and everything the link belongs to."""

    link_id: int
    post_id: int
    ambassador_id: int
    network: str
    campaign_id: int | None
    group_ids: tuple[int, ...]

    def dimensions(self) -> list[tuple[str, str]]:
        found = [
            (Dimension.ALL, ""),
            (Dimension.LINK, str(self.link_id)),
            (Dimension.POST, str(self.post_id)),
            (Dimension.AMBASSADOR, str(self.ambassador_id)),
            (Dimension.NETWORK, self.network),
        ]
        if self.campaign_id is not None:
            found.append((Dimension.CAMPAIGN, str(self.campaign_id)))
        found += [(Dimension.GROUP, str(group_id)) for group_id in self.group_ids]
        return found

    def crossed_dimensions(self) -> list[tuple[str, str]]:
        """The CROSSED dimensions within the link's network and within each of its groups,
        as (dimension, key)."""
        keys = {
            Dimension.POST: [str(self.post_id)],
            Dimension.AMBASSADOR: [str(self.ambassador_id)],
            Dimension.CAMPAIGN: [] if self.campaign_id is None else [str(self.campaign_id)],
            Dimension.GROUP: [str(group_id) for group_id in self.group_ids],
            Dimension.NETWORK: [self.network],
        }
        return [
            (crossed(by, scope, scope_key), key)
            for scope in CROSSED
            for scope_key in keys[scope]
            for by in CROSSED[scope]
            for key in keys[by]
        ]

    def scope_key(self, scope: str) -> str | None:
        """The scope's name in the seen-visitor sets (`post:3`, `campaign:5`, `all`)."""
        if scope == Dimension.ALL:
            return Dimension.ALL
        if scope == Dimension.CAMPAIGN:
            return None if self.campaign_id is None else f"{Dimension.CAMPAIGN}:{self.campaign_id}"
        return f"{scope}:{getattr(self, scope + '_id')}"


class ClassifiedClick(NamedTuple):
    """A click ready to count. `at` is Unix time; `visitor` the day's visitor hash. A named
    tuple for the same reason as `RawClick`."""

    click_id: str
    at: float
    kind: int
    visitor: str
    attribution: Attribution


class Buckets:
    """Start of the UTC hour and of the organisation day of an instant, memoised: a batch of
    clicks spans few distinct quarters of an hour (every real time zone offset is a multiple
    of 15 minutes, so a quarter never straddles two days)."""

    def __init__(self) -> None:
        self._zone = organisation_zone()
        self._days: dict[int, tuple[float, str]] = {}
        self._months: dict[float, float] = {}

    def hour(self, at: float) -> float:
        return at - at % 3600

    def day(self, at: float) -> tuple[float, str]:
        """(Unix time of the day's start, ISO date)."""
        quarter = int(at // 900)
        found = self._days.get(quarter)
        if found is None:
            day: date = datetime.fromtimestamp(quarter * 900, self._zone).date()
            found = self._days[quarter] = (day_start(day).timestamp(), day.isoformat())
        return found

    def earliest_day(self) -> float:
        """Unix time of the start of the earliest day met so far (infinity before any)."""
        return min((start for start, _day in self._days.values()), default=float("inf"))

    def month(self, day_start_at: float) -> float:
        """Unix time of the start of the organisation month holding the day starting then."""
        found = self._months.get(day_start_at)
        if found is None:
            first = datetime.fromtimestamp(day_start_at, self._zone).date().replace(day=1)
            found = self._months[day_start_at] = day_start(first).timestamp()
        return found


def with_months(counts: Counter[CountKey], buckets: Buckets) -> Counter[CountKey]:
    """Each daily count also goes to its organisation month, in the same upsert: a year's
    dashboard then reads a dozen month rows per key instead of hundreds of day rows, and the
    month is by construction the sum of its days."""
    for (dimension, key, prop, subgroup, frequency, start), number in list(counts.items()):
        if frequency == DAY:
            counts[(dimension, key, prop, subgroup, MONTH, buckets.month(start))] += number
    return counts


@dataclass
class Counting:
    """Clicks counted but not yet added: every counter but the unique visitors, and the
    seen-visitor digests that decide those (claimed by `counting_add`)."""

    counts: Counter[CountKey]
    # Per day, digest of (scope, visitor) → the counter it adds one unique visitor to.
    visitors: dict[str, dict[int, tuple[str, str, float]]]
    buckets: Buckets


def rollups_add(*, clicks: Sequence[ClassifiedClick], buckets: Buckets | None = None) -> int:
    """Add these clicks to the counters (raw, by kind, unique visitors). Returns the number of
    counter rows written."""
    return counting_add(clicks_counted(clicks=clicks, buckets=buckets))


def counting_add(counting: Counting) -> int:
    """Claim the unique visitors (which locks their days until the transaction ends: call it
    at the end) and add everything to the counters. Returns the number of counter rows
    written."""
    counts = counting.counts
    for dimension, key, day_start_at in seen_claim(counting.visitors):
        counts[(dimension, key, Property.VISITORS, "", DAY, day_start_at)] += 1
    # Every count is in a day the buckets met (or in its hour or month): a click over a day
    # late changes the settled counters' token (tracking/settled.py).
    settled_changed_if_before(counting.buckets.earliest_day())
    # A correction can leave a count at zero (ingest.py): nothing to add there.
    return counts_upsert(
        (key, value) for key, value in with_months(counts, counting.buckets).items() if value
    )


def clicks_counted(
    *, clicks: Sequence[ClassifiedClick], buckets: Buckets | None = None
) -> Counting:
    """The counters these clicks add to, all but the unique visitors (`counting_add`)."""
    buckets = buckets or Buckets()
    # Count per (link, hour, day, kind) first: everything else follows from the link, so the
    # per-dimension work below is done per group, not per click.
    grouped: Counter[tuple[int, float, float, int]] = Counter()
    attributions: dict[int, Attribution] = {}
    quarter, day_start_at = None, 0.0
    for _click_id, at, kind, _visitor, attribution in clicks:
        link_id = attribution.link_id
        if at // 900 != quarter:  # clicks come in time order: the day seldom changes
            quarter = at // 900
            day_start_at = buckets.day(at)[0]
        grouped[(link_id, at - at % 3600, day_start_at, kind)] += 1
        if link_id not in attributions:
            attributions[link_id] = attribution

    counts: Counter[CountKey] = Counter()
    verified_by_day: Counter[tuple[int, float]] = Counter()  # (link, day): crossed counters
    raw_by_day: Counter[tuple[int, float]] = Counter()
    for (link_id, hour, day_start_at, kind), number in grouped.items():
        for dimension, key in attributions[link_id].dimensions():
            for prop in (Property.RAW, PROPERTY_OF_KIND[ClickKind(kind)]):
                if dimension != LINK:
                    counts[(dimension, key, prop, "", HOUR, hour)] += number
                counts[(dimension, key, prop, "", DAY, day_start_at)] += number
        raw_by_day[(link_id, day_start_at)] += number
        if kind == VERIFIED:
            verified_by_day[(link_id, day_start_at)] += number
    crossed_of = {link_id: a.crossed_dimensions() for link_id, a in attributions.items()}
    for prop, by_day in ((Property.RAW, raw_by_day), (Property.VERIFIED, verified_by_day)):
        for (link_id, day_start_at), number in by_day.items():
            for dimension, key in crossed_of[link_id]:
                counts[(dimension, key, prop, "", DAY, day_start_at)] += number

    return Counting(counts=counts, visitors=visitors_wanted(clicks, buckets), buckets=buckets)


def visitors_wanted(
    clicks: Sequence[ClassifiedClick], buckets: Buckets
) -> dict[str, dict[int, tuple[str, str, float]]]:
    """Per day, the digest of (scope, visitor) of each verified click → the unique-visitor
    counter it adds one to if the claim finds it new."""
    # Per link, the scopes its verified clicks count unique visitors in: (bits, dimension, key).
    scopes_of: dict[int, list[tuple[int, str, str]]] = {}
    wanted: dict[str, dict[int, tuple[str, str, float]]] = {}
    quarter, day_start_at, day_wanted = None, 0.0, {}
    for _click_id, at, kind, visitor, attribution in clicks:
        if kind != VERIFIED:
            continue
        if at // 900 != quarter:
            quarter = at // 900
            day_start_at, day = buckets.day(at)
            day_wanted = wanted.setdefault(day, {})
        scopes = scopes_of.get(attribution.link_id)
        if scopes is None:
            scopes = scopes_of[attribution.link_id] = _unique_scopes(attribution)
        visitor_digest = visitor_bits(visitor)
        for bits, dimension, key in scopes:
            day_wanted.setdefault(visitor_digest ^ bits, (dimension, key, day_start_at))
    return wanted


def _unique_scopes(attribution: Attribution) -> list[tuple[int, str, str]]:
    found = []
    for scope in VISITOR_DIMENSIONS:
        scope_key = attribution.scope_key(scope)
        if scope_key is not None:
            key = "" if scope == Dimension.ALL else scope_key.split(":", 1)[1]
            found.append((scope_bits(scope_key), scope, key))
    return found


def conversion_rollups_add(
    *, attribution: Attribution, goal: str, at: float, amount: int = 1
) -> int:
    """Count a conversion (`amount` -1 takes back one counted by mistake)."""
    buckets = Buckets()
    day_start_at, _day = buckets.day(at)
    counts: Counter[CountKey] = Counter()
    for dimension, key in attribution.dimensions():
        if dimension != LINK:
            counts[(dimension, key, Property.CONVERSIONS, goal, HOUR, buckets.hour(at))] += amount
        counts[(dimension, key, Property.CONVERSIONS, goal, DAY, day_start_at)] += amount
    for dimension, key in attribution.crossed_dimensions():
        counts[(dimension, key, Property.CONVERSIONS, goal, DAY, day_start_at)] += amount
    settled_changed_if_before(day_start_at)
    return counts_upsert(with_months(counts, buckets).items())


def counts_upsert(counts: Iterable[tuple[CountKey, int]]) -> int:
    """value = value + excluded.value, on SQLite row by row, on PostgreSQL in one statement."""
    db_datetime = db_datetime_converter()
    rows = [
        (dimension, key, prop, subgroup, frequency, db_datetime(start), value)
        for (dimension, key, prop, subgroup, frequency, start), value in counts
    ]
    if not rows:
        return 0
    upsert = (
        'ON CONFLICT (dimension, "key", property, subgroup, frequency, "start") '
        "DO UPDATE SET value = tracking_clickcount.value + excluded.value"
    )
    columns = '(dimension, "key", property, subgroup, frequency, "start", value)'
    if connection.vendor == "postgresql":
        # One statement for the whole batch, its rows passed as arrays in binary: executemany
        # sends one statement per row, and PostgreSQL spent most of ingestion there. Rows go
        # in key order, so that two workers adding to the same counters lock them in the same
        # order and never wait on each other in a cycle (SQLite has a single writer).
        with binary_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO tracking_clickcount {columns} SELECT * FROM unnest("
                "%b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], "
                f"%b::timestamptz[], %b::bigint[]) {upsert}",
                [list(column) for column in zip(*sorted(rows), strict=True)],
            )
        return len(rows)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO tracking_clickcount {columns} "
            f"VALUES (%s, %s, %s, %s, %s, %s, %s) {upsert}",
            rows,
        )
    return len(rows)
