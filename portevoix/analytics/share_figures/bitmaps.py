"""Day bitmaps of the share activity (bit n = the n-th day from a start) and the months they
are tested against: months and cohorts are bit tests in Python, not queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def month_buckets(*, since: date, until: date) -> list[date]:
    """First days of the months from `since`'s month to the one containing `until - 1 day`."""
    months, month = [], since.replace(day=1)
    while month < until:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def window(bits: int, start: int, first: int, last: int) -> int:
    """The days `first`..`last` of a bitmap that starts on day `start`, bit 0 = `first`."""
    if start > last:
        return 0
    shifted = bits << (start - first) if start >= first else bits >> (first - start)
    return shifted & ((1 << (last - first + 1)) - 1)


def windows(rows: Iterable[tuple[int, int, int]], first: int, last: int) -> dict[int, int]:
    """Person → `window()` of their bitmap, for (person, start, bitmap) rows that all start by
    `last` (as the activity's queries ask): 10,000 calls of `window()` cost more than their
    arithmetic, written out here once."""
    width = (1 << (last - first + 1)) - 1
    return {
        person: (bits << (start - first) if start >= first else bits >> (first - start)) & width
        for person, start, bits in rows
    }


def month_masks(months: list[date], first: date, last: date) -> list[int]:
    """Per month: the bits of its days between `first` and `last`, bit 0 = `first`."""
    masks = []
    for n, month in enumerate(months):
        since = max(month, first)
        until = min(
            months[n + 1] if n + 1 < len(months) else last + timedelta(days=1),
            last + timedelta(days=1),
        )
        length = (until - since).days
        masks.append(((1 << length) - 1) << (since - first).days if length > 0 else 0)
    return masks


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
