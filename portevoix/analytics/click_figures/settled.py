"""Rankings that keep the sums of settled days between page loads.

A year's ranking of the programme's people sums every person's counter rows of the year: at
100M clicks, about 200,000 rows into 86,000 keys, 140–260 ms at each load (docs/metrics.md),
and every ingestion batch makes the next load compute its page again. All but the last day or
two of those rows are settled (tracking/settled.py): their sums per key are kept here, in the
process's memory, under the settled counters' token, and a load sums only the days since and
merges them with the kept sums (`ranking_merged`), exactly as one sum over the whole period.

Kept only when the dashboard keeps tables (ANALYTICS_CACHE_SECONDS > 0). A kept entry holds
one number per key (about 10 MB for 86,000 people); at most `KEPT_MAX` are kept, and a
process drops them all at its first ranking after the token changed (an erasure changes it):
the counts of someone erased are never used again, and go then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from portevoix.analytics.click_figures.periods import Part
from portevoix.tracking.counters import Frequency
from portevoix.tracking.settled import settled_token

KEPT_MAX = 6  # a dimension and a period each: posts and people of a year, of a quarter…


@dataclass(frozen=True)
class SettledSums:
    """Per key, the sum over the settled parts; `ordered`: the keys by sum, largest first,
    ties by the key as text (as the database ranks them)."""

    totals: dict[int, int]
    ordered: list[int]


_kept: dict[tuple, SettledSums] = {}
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


def settled_kept(
    name: tuple, parts: list[Part], compute: Callable[[], dict[int, int]]
) -> SettledSums:
    """The sums of the settled `parts` for `name` (dimension and properties), kept from an
    earlier load when the token is still the same; otherwise computed and kept."""
    token = settled_token()  # read before the sums: a change committed after it shows as new
    key = (name, tuple(parts))
    with _lock:
        if _kept_token != [token]:
            _kept.clear()
            _kept_token[:] = [token]
        found = _kept.get(key)
    if found is not None:
        return found
    totals = compute()
    found = SettledSums(totals, sorted(totals, key=lambda k: (-totals[k], str(k))))
    with _lock:
        if _kept_token == [token]:
            while len(_kept) >= KEPT_MAX:
                del _kept[next(iter(_kept))]  # the oldest
            _kept[key] = found
    return found


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
