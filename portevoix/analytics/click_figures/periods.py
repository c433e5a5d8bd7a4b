"""A period as the counters read it: whole organisation months and the days left over.

A year is then 11 month rows and about 31 day rows per key instead of 365 day rows
(docs/analytics.md, "Counters, never raw clicks"); the parts are read in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from portevoix.analytics.filters import Filters
from portevoix.tracking.counters import Frequency
from portevoix.tracking.models import ClickCount
from portevoix.tracking.visitors import day_start


@dataclass(frozen=True)
class Part:
    """A stretch of the period read from one frequency of counters."""

    frequency: str
    since: datetime
    until: datetime


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_parts(*, start: date, end: date) -> list[Part]:
    """The days from `start` to `end` (included) as whole months and leftover days."""
    after = end + timedelta(days=1)
    first = start if start.day == 1 else _next_month(start)
    stop = after.replace(day=1)
    if first >= stop:
        return [Part(Frequency.DAY, day_start(start), day_start(after))]
    parts = [Part(Frequency.MONTH, day_start(first), day_start(stop))]
    if start < first:
        parts.insert(0, Part(Frequency.DAY, day_start(start), day_start(first)))
    if stop < after:
        parts.append(Part(Frequency.DAY, day_start(stop), day_start(after)))
    return parts


def period_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def periods(*, filters: Filters) -> list[date]:
    """The first days of the periods of the series. The first period starts on the period's
    first day, not on the Monday or the 1st before it: a row labelled with a day outside the
    period would read as counting days it does not."""
    found: list[date] = []
    day = filters.start
    while day <= filters.end:
        start = max(period_start(day, filters.granularity), filters.start)
        if not found or found[-1] != start:
            found.append(start)
        day += timedelta(days=1)
    return found


def in_part(rows: QuerySet[ClickCount], part: Part) -> QuerySet[ClickCount]:
    return rows.filter(frequency=part.frequency, start__gte=part.since, start__lt=part.until)


def in_parts(rows: list[QuerySet[ClickCount]], parts: list[Part], *fields: str) -> QuerySet:
    """`fields` of each of `rows` in every part, as one statement (UNION ALL): each part keeps
    its own index range, and a page makes one round trip instead of one per part."""
    selects = [in_part(some, part).values_list(*fields) for some in rows for part in parts]
    return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
