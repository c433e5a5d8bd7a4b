"""Reads of the share activity: one row per person and network (and per person for any
network) whose bitmap says on which days they shared, carrying their declared followers
there, so a year costs one row per person, not one per share; and the shares per network and
day (`ShareDayCount`). Both are rebuilt from the shares whenever one changes (activity.py).
The activity's rows are read raw from the covering index `activity_by_network` (network,
last_day, first_day, followers, person, days): through the ORM, the conversion of 10,000
bitmaps cost as much as the query (docs/metrics.md)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import date

from portevoix.accounts.models import Network
from portevoix.analytics.filters import Filters
from portevoix.analytics.models import ShareDayCount
from portevoix.analytics.share_figures.bitmaps import window, windows
from portevoix.analytics.share_figures.raw_rows import ACTIVITY, MEMBERSHIPS, fetch

NETWORKS = tuple(Network.values)


def day_counts(filters: Filters, starts: list[date]) -> dict[tuple[str, int], int]:
    """(network, index of the series period) → shares, from the shares per network and day."""
    rows = ShareDayCount.objects.filter(day__gte=filters.start, day__lte=filters.end)
    if filters.network:
        rows = rows.filter(network=filters.network)
    found: Counter[tuple[str, int]] = Counter()
    for network, day, n in rows.values_list("network", "day", "shares"):
        found[(network, bisect_right(starts, day) - 1)] += n
    return dict(found)


def whole_programme_rows(*, since: date, end: date) -> list[tuple[int, int, int]]:
    """(person, first day, bitmap) of everyone who shared between `since` and `end`, any
    network."""
    rows = fetch(
        f"SELECT person_id, first_day, days FROM {ACTIVITY} "
        "WHERE network = '' AND first_day <= %s AND last_day >= %s",
        [end.toordinal(), since.toordinal()],
    )
    return [(person, start, int.from_bytes(days, "little")) for person, start, days in rows]


def activity_where(filters: Filters, *, per_network: bool) -> tuple[list[str], list]:
    """SQL conditions (on the activity as `u`) for rows whose days meet the period: one per
    person (any network, or the chosen one), or with `per_network` one per person and
    network."""
    where = ["u.first_day <= %s", "u.last_day >= %s"]
    params: list = [filters.end.toordinal(), filters.start.toordinal()]
    if filters.network:
        where.append("u.network = %s")
        params.append(filters.network)
    elif per_network:
        # Every network's rows, named one by one (a share's network is one of the platform's):
        # each network's period is then a range of the index `activity_by_network`, where
        # `network > ''` made PostgreSQL read the whole table (45 MB at 100,000 people, 4 times
        # a page; docs/metrics.md, "Ten times the data").
        where.append(f"u.network IN ({', '.join(['%s'] * len(NETWORKS))})")
        params.extend(NETWORKS)
    else:
        where.append("u.network = ''")  # the any-network row
    if filters.ambassador_id is not None:
        where.append("u.person_id = %s")
        params.append(filters.ambassador_id)
    if filters.group_id is not None:
        where.append(f"u.person_id IN (SELECT person_id FROM {MEMBERSHIPS} WHERE group_id = %s)")
        params.append(filters.group_id)
    return where, params


# Rows (meeting the period, as `activity_where` asks) that start before the period's first day
# and end after its last, parameters (first, last). A row's first and last days are days with
# a share (activity.bitmap): any other row meeting the period has a share within it, without
# its bitmap being read; a period that ends today has no such row.
SPANS = "u.first_day < %s AND u.last_day > %s"


def people_days(filters: Filters) -> dict[int, int]:
    """Person → bitmap of the days of the period on which they shared (a network, a group or
    one person), bit 0 = the period's first day."""
    first, last = filters.start.toordinal(), filters.end.toordinal()
    where, params = activity_where(filters, per_network=False)
    sql = f"SELECT u.person_id, u.first_day, u.days FROM {ACTIVITY} u WHERE "
    rows = fetch(sql + " AND ".join(where), params)
    return windows(((p, s, int.from_bytes(d, "little")) for p, s, d in rows), first, last)


def active_count(filters: Filters) -> int:
    """How many people shared in the period (a network, a group or one person): the number
    `people_days` would give, counted without bringing back the bitmap of everyone who did."""
    first, last = filters.start.toordinal(), filters.end.toordinal()
    where, params = activity_where(filters, per_network=False)
    rows = f"FROM {ACTIVITY} u WHERE " + " AND ".join(where)
    ((decided,),) = fetch(f"SELECT COUNT(*) {rows} AND NOT ({SPANS})", [*params, first, last])
    spanning = fetch(f"SELECT u.first_day, u.days {rows} AND {SPANS}", [*params, first, last])
    return decided + sum(
        1 for start, days in spanning if window(int.from_bytes(days, "little"), start, first, last)
    )


def reach(filters: Filters) -> dict[str, int]:
    """Per network: the followers of the people who shared there in the period, each once."""
    first, last = filters.start.toordinal(), filters.end.toordinal()
    where, params = activity_where(filters, per_network=True)
    rows = f"FROM {ACTIVITY} u WHERE u.followers > 0 AND " + " AND ".join(where)
    found: Counter[str] = Counter()
    # Whoever's activity starts or ends within the period shared in it: summed in the database.
    for network, followers in fetch(
        f"SELECT u.network, SUM(u.followers) {rows} AND NOT ({SPANS}) GROUP BY u.network",
        [*params, first, last],
    ):
        found[network] += followers
    # The bitmaps of the others (who shared before and after it) say whether they did in
    # between.
    for network, followers, start, days in fetch(
        f"SELECT u.network, u.followers, u.first_day, u.days {rows} AND {SPANS}",
        [*params, first, last],
    ):
        if window(int.from_bytes(days, "little"), start, first, last):
            found[network] += followers
    return dict(sorted(found.items()))
