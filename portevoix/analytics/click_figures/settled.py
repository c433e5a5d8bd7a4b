"""Rankings that keep the sums of settled days between page loads.

A year's ranking of the programme's people sums every person's counter rows of the year: at
100M clicks, about 200,000 rows into 86,000 keys, 140–260 ms at each load (docs/metrics.md),
and every ingestion batch makes the next load compute its page again. All but the last day or
two of those rows are settled (tracking/settled.py): their sums per key are kept here, in the
process's memory, under the settled counters' token, and a load sums only the days since and
merges them with the kept sums (`ranking_merged`), exactly as one sum over the whole period.

The matching links of filters that combine (a network and a group) are summed the same way:
their sums per link over settled days are kept for that very set of links (links.py).

Kept only when the dashboard keeps tables (ANALYTICS_CACHE_SECONDS > 0). A kept entry holds
one number per key (about 10 MB for 86,000 people); at most `KEPT_KEYS_MAX` keys are kept in
all, and a process drops them all at its first read after the token changed (an erasure
changes it): the counts of someone erased are never used again, and go then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sized
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar, cast

from django.conf import settings

from portevoix.analytics.click_figures.periods import Part
from portevoix.tracking.counters import Frequency
from portevoix.tracking.settled import settled_token, settled_until

# Kept sums, counted in keys (a person, a post, a link) over all kept entries: about 100 bytes
# a key of a ranking (a few hundred for a link's counts), so about 50 MB per web process at
# most; the least recently used go first.
KEPT_KEYS_MAX = 500_000
T = TypeVar("T")


@dataclass(frozen=True)
class SettledSums:
    """Per key, the sum over the settled parts; `ordered`: the keys by sum, largest first,
    ties by the key as text (as the database ranks them)."""

    totals: dict[int, int]
    ordered: list[int]

    def __len__(self) -> int:
        return len(self.totals)


_kept: dict[tuple, object] = {}
_kept_token: list[int] = []  # the token the kept sums hold for (none yet)
_lock = threading.Lock()


def parts_split(parts: list[Part], until: datetime) -> tuple[list[Part], list[Part]]:
    """(settled, live): the parts that end by `until`, and the rest. A stretch of days across
    `until` (a day's start) is cut there; a month not over by then is live whole."""
    settled: list[Part] = []
    live: list[Part] = []
    for part in parts:
        if part.until <= until:
            settled.append(part)
        elif part.since >= until or part.frequency != Frequency.DAY:
            live.append(part)
        else:
            settled.append(replace(part, until=until))
            live.append(replace(part, since=until))
    return settled, live


def settled_and_live(parts: list[Part]) -> tuple[list[Part], list[Part]]:
    """`parts_split` at the start of yesterday; ([], parts) when the dashboard keeps nothing
    (ANALYTICS_CACHE_SECONDS=0: every load reads everything)."""
    if settings.ANALYTICS_CACHE_SECONDS <= 0:
        return [], parts
    return parts_split(parts, settled_until())


def settled_sums(totals: dict[int, int]) -> SettledSums:
    return SettledSums(totals, sorted(totals, key=lambda k: (-totals[k], str(k))))


def settled_kept(name: Hashable, parts: list[Part], compute: Callable[[], T]) -> T:
    """What `compute` makes of the settled `parts` for `name` (a ranking's dimension and
    properties, a set of links), kept from an earlier load when the token is still the same;
    otherwise computed and kept. Callers never change what they get."""
    token = settled_token()  # read before the sums: a change committed after it shows as new
    key = (name, tuple(parts))
    with _lock:
        if _kept_token != [token]:
            _kept.clear()
            _kept_token[:] = [token]
        if key in _kept:
            _kept[key] = _kept.pop(key)  # the most recently used last
            return cast(T, _kept[key])
    found = compute()
    with _lock:
        if _kept_token == [token]:
            _kept[key] = found
            while sum(map(_size, _kept.values())) > KEPT_KEYS_MAX and len(_kept) > 1:
                del _kept[next(iter(_kept))]  # the least recently used
    return found


def _size(found: object) -> int:
    return len(found) if isinstance(found, Sized) else 1


def ranking_merged(settled: SettledSums, live: dict[int, int], limit: int) -> list[tuple[str, int]]:
    """The `limit` best keys over both, as one sum over the whole period would rank them.
    Every key with live rows is a candidate; of the others, their order is the settled one, so
    the first `limit` of them are the only ones that can place."""
    found = {key: settled.totals.get(key, 0) + total for key, total in live.items()}
    others = 0
    for key in settled.ordered:
        if others == limit:
            break
        if key not in live:
            found[key] = settled.totals[key]
            others += 1
    best = sorted(found.items(), key=lambda item: (-item[1], str(item[0])))[:limit]
    return [(str(key), total) for key, total in best]


def settled_forget() -> None:
    """Drop every kept sum (the tests, between two data sets under the same token)."""
    with _lock:
        _kept.clear()
        _kept_token.clear()
