"""Figures anyone can re-check: recount the click counters of a period from the raw clicks, in
memory, and compare them with the live counters (`manage.py figures_verify`,
docs/governance.md "Figures anyone can re-check").

The recount takes another road than ingestion on purpose: it reads the stored clicks (their
kind as classified, their link, their second, their day's visitor hash) and adds them up in a
Python Counter, never touching the live counters nor the seen-visitor sets. What it compares:

- every click property (raw, verified, repeat, self, bot, scanner, and unique visitors), per
  link, post, ambassador, network, campaign and the whole programme, and within each network;
- hourly and daily counters of the days in the period, monthly counters of the months wholly in
  it.

Not compared, because raw clicks cannot tell them: counters per group (a click counts in the
groups its ambassador was in at ingestion, and memberships change), conversions (kept in their
own table, not rebuilt from clicks), and days whose raw clicks are past CLICK_RETENTION_DAYS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from portevoix.tracking.counters import (
    CROSSED_PROPERTIES,
    VISITOR_DIMENSIONS,
    WITHIN,
    Dimension,
    Frequency,
    Property,
    is_crossed,
)
from portevoix.tracking.models import Click, ClickCount
from portevoix.tracking.rollups import PROPERTY_OF_KIND, VERIFIED, Attribution, Buckets
from portevoix.tracking.visitors import day_start, local_day

CountKey = tuple[str, str, str, str, float]  # dimension, key, property, frequency, start
CHUNK = 20_000
# What raw clicks tell: every click property but conversions.
CLICK_PROPERTIES = (*PROPERTY_OF_KIND.values(), Property.RAW, Property.VISITORS)


@dataclass(frozen=True)
class Difference:
    dimension: str
    key: str
    property: str
    frequency: str
    start: datetime
    counters: int  # the live counter
    recount: int  # from the raw clicks

    def __str__(self) -> str:
        where = f"{self.dimension}:{self.key}" if self.key else self.dimension
        return (
            f"{self.frequency} {timezone.localtime(self.start):%Y-%m-%d %H:%M} {where} "
            f"{self.property}: counters {self.counters}, raw clicks {self.recount}"
        )


@dataclass(frozen=True)
class Period:
    """Organisation days [first, last], cut to the days whose raw clicks are all kept."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))


def verifiable_period(
    first: date | None, last: date | None, *, now: datetime | None = None
) -> Period:
    """The period to verify: by default every day still within retention, up to today. The
    first day is moved to the first one whose raw clicks are all kept (the purge removes
    clicks older than CLICK_RETENTION_DAYS to the second: that day is partly gone)."""
    now = now or timezone.now()
    oldest_whole = local_day(now - timedelta(days=settings.CLICK_RETENTION_DAYS)) + timedelta(1)
    first = max(first or oldest_whole, oldest_whole)
    if last is None:
        # Up to today, or the last click's day if a clock ahead of ours stamped it later.
        latest = Click.objects.aggregate(latest=Max("at"))["latest"]
        last = max(local_day(now), local_day(latest) if latest else local_day(now))
    return Period(first, last)


def _counted(dimension: str) -> bool:
    """Whether raw clicks tell this dimension's counters (not groups, see above)."""
    if not is_crossed(dimension):
        return dimension != Dimension.GROUP
    counted, within = dimension.split(WITHIN, 1)  # "group@linkedin", "post@group:12"
    return counted != Dimension.GROUP and not within.startswith(f"{Dimension.GROUP}:")


def _clicks(period: Period) -> Iterator[tuple]:
    rows = (
        Click.objects.filter(at__gte=period.start, at__lt=period.end)
        .order_by("at", "id")
        .values_list(
            "at",
            "kind",
            "visitor",
            "link_id",
            "link__post_id",
            "link__ambassador_id",
            "link__network",
            "link__post__campaign_id",
        )
    )
    return rows.iterator(chunk_size=CHUNK)


def counters_recount(period: Period) -> Counter[CountKey]:
    """Every counter of the period rebuilt from its raw clicks, in memory."""
    buckets = Buckets()
    counts: Counter[CountKey] = Counter()
    visitors: set[tuple[str, str, float, str]] = set()
    attributions: dict[int, Attribution] = {}
    for at_time, kind, visitor, link_id, post_id, ambassador_id, network, campaign_id in _clicks(
        period
    ):
        attribution = attributions.get(link_id)
        if attribution is None:
            attribution = attributions[link_id] = Attribution(
                link_id, post_id, ambassador_id, network, campaign_id, group_ids=()
            )
        at = at_time.timestamp()
        hour, (day, _iso) = buckets.hour(at), buckets.day(at)
        month = buckets.month(day)
        for prop in (Property.RAW, PROPERTY_OF_KIND[kind]):
            for dimension, key in attribution.dimensions():
                if dimension != Dimension.LINK:  # no hourly counters per link (rollups.py)
                    counts[(dimension, key, prop, Frequency.HOUR, hour)] += 1
                counts[(dimension, key, prop, Frequency.DAY, day)] += 1
                counts[(dimension, key, prop, Frequency.MONTH, month)] += 1
            if prop in CROSSED_PROPERTIES:
                for dimension, key in attribution.crossed_dimensions():
                    counts[(dimension, key, prop, Frequency.DAY, day)] += 1
                    counts[(dimension, key, prop, Frequency.MONTH, month)] += 1
        if kind == VERIFIED:
            for dimension, key in attribution.dimensions():
                if dimension in VISITOR_DIMENSIONS:
                    visitors.add((dimension, key, day, visitor))
    for dimension, key, day, _visitor in visitors:
        counts[(dimension, key, Property.VISITORS, Frequency.DAY, day)] += 1
        month = buckets.month(day)
        counts[(dimension, key, Property.VISITORS, Frequency.MONTH, month)] += 1
    return counts


def _whole_months(period: Period) -> tuple[datetime, datetime] | None:
    """[start, end) of the months wholly within the period, None if there is none."""
    first = period.first if period.first.day == 1 else _next_month(period.first)
    after = period.last + timedelta(days=1)
    end = after if after.day == 1 else after.replace(day=1)
    if first >= end:
        return None
    return day_start(first), day_start(end)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def live_counters(period: Period) -> Counter[CountKey]:
    """The live counters the recount can tell, for the same buckets."""
    found: Counter[CountKey] = Counter()
    rows = ClickCount.objects.filter(property__in=CLICK_PROPERTIES, subgroup="")
    in_days = rows.filter(
        frequency__in=(Frequency.HOUR, Frequency.DAY),
        start__gte=period.start,
        start__lt=period.end,
    )
    months = _whole_months(period)
    chosen = [in_days]
    if months is not None:
        chosen.append(
            rows.filter(frequency=Frequency.MONTH, start__gte=months[0], start__lt=months[1])
        )
    for query in chosen:
        for dimension, key, prop, frequency, start, value in query.values_list(
            "dimension", "key", "property", "frequency", "start", "value"
        ).iterator(chunk_size=CHUNK):
            if value and _counted(dimension):
                found[(dimension, key, prop, frequency, start.timestamp())] += value
    return found


def figures_verify(period: Period) -> list[Difference]:
    """Each counter of the period that differs from its recount from raw clicks."""
    recount = counters_recount(period)
    months = _whole_months(period) or (period.start, period.start)  # none: an empty range
    wanted_months = (months[0].timestamp(), months[1].timestamp())
    start, end = period.start.timestamp(), period.end.timestamp()

    def in_period(frequency: str, at: float) -> bool:
        if frequency == Frequency.MONTH:
            return wanted_months[0] <= at < wanted_months[1]
        return start <= at < end

    recount = Counter(
        {k: v for k, v in recount.items() if in_period(k[3], k[4]) and _counted(k[0])}
    )
    live = live_counters(period)
    differences = []
    for key in sorted(set(recount) | set(live)):
        if live[key] != recount[key]:
            dimension, name, prop, frequency, at = key
            differences.append(
                Difference(
                    dimension,
                    name,
                    prop,
                    frequency,
                    datetime.fromtimestamp(at, timezone.get_current_timezone()),
                    live[key],
                    recount[key],
                )
            )
    return differences
