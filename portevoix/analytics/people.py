"""Figures about people and shares: adoption, programme health, engagement, potential reach.

Distinct-people figures (active ambassadors, potential reach, engagement, monthly active,
cohorts) read `ShareActivity`: one row per person and network whose bitmap says on which days
they shared, so a year costs one row per person, not one per share. Share counts read
`ShareDayCount`. Both are rebuilt from the shares whenever one changes (activity.py). Filters
the activity does not know (a campaign, a post) read the period's shares instead, from an index
that holds every column those queries need.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Count, Q, QuerySet

from portevoix.accounts.models import Group, NetworkAccount, Person
from portevoix.analytics.filters import Filters
from portevoix.analytics.models import ShareActivity, ShareDayCount
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import day_start, local_day

ACTIVITY = ShareActivity._meta.db_table
PEOPLE = Person._meta.db_table
MEMBERSHIPS = Person.groups.through._meta.db_table


def _fetch(sql: str, params: list) -> list[tuple]:
    """Rows as the database gives them: for reads of thousands of rows, the ORM's conversion
    of each value costs more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def shares_for(*, filters: Filters) -> QuerySet[Share]:
    # No ordering: the model's default (newest first) would join every GROUP BY and DISTINCT.
    shares = Share.objects.filter(
        created_at__gte=filters.since, created_at__lt=filters.until
    ).order_by()
    if filters.campaign_id is not None:
        shares = shares.filter(post__campaign_id=filters.campaign_id)
    if filters.post_id is not None:
        shares = shares.filter(post_id=filters.post_id)
    if filters.network:
        shares = shares.filter(network=filters.network)
    if filters.ambassador_id is not None:
        shares = shares.filter(person_id=filters.ambassador_id)
    if filters.group_id is not None:
        shares = shares.filter(person__groups=filters.group_id)
    return shares


@dataclass(frozen=True)
class Adoption:
    accounts: int  # people with an account, invited or not
    activated: int
    opted_in: int
    active: int  # opted-in people with at least one share in the period

    @property
    def participation_rate(self) -> float | None:
        return None if not self.opted_in else self.active / self.opted_in


def month_buckets(*, since: date, until: date) -> list[date]:
    """First days of the months from `since`'s month to the one containing `until - 1 day`."""
    months, month = [], since.replace(day=1)
    while month < until:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def bucket_sql(column: str, starts: list[date]) -> tuple[str, list]:
    """SQL expression and its parameters: the index of the period (organisation days from
    `starts[i]` to `starts[i+1]`) the instant in `column` falls in, -2 before the first. Plain
    comparisons, so the database compares instants instead of converting every row to local
    time, nested as a binary search (a year by week is 6 comparisons a share, not 26 on
    average). Written by hand: the ORM took longer to compile 53 nested cases than the
    database took to run them."""
    edges = [connection.ops.adapt_datetimefield_value(day_start(start)) for start in starts]

    def search(low: int, high: int, below: int) -> tuple[str, list]:
        """The last of `edges[low:high]` the instant is at or after, else `below`."""
        if low >= high:
            return str(below), []
        middle = (low + high) // 2
        after, after_params = search(middle + 1, high, middle)
        before, before_params = search(low, middle, below)
        return (
            f"CASE WHEN {column} >= %s THEN {after} ELSE {before} END",
            [edges[middle], *after_params, *before_params],
        )

    return search(0, len(edges), -2)


def _window(bits: int, start: int, first: int, last: int) -> int:
    """The days `first`..`last` of a bitmap that starts on day `start`, bit 0 = `first`."""
    if start > last:
        return 0
    shifted = bits << (start - first) if start >= first else bits >> (first - start)
    return shifted & ((1 << (last - first + 1)) - 1)


def _windows(rows: Iterable[tuple[int, int, int]], first: int, last: int) -> dict[int, int]:
    """Person → `_window()` of their bitmap, for (person, start, bitmap) rows that all start by
    `last` (as the activity's queries ask): 10,000 calls of `_window()` cost more than their
    arithmetic, written out here once."""
    width = (1 << (last - first + 1)) - 1
    return {
        person: (bits << (start - first) if start >= first else bits >> (first - start)) & width
        for person, start, bits in rows
    }


def _month_masks(months: list[date], first: date, last: date) -> list[int]:
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


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


class ShareFigures:
    """Every share and people figure of one page for one set of filters, each query once."""

    def __init__(self, filters: Filters, starts: list[date] | None = None) -> None:
        """`starts`: the first days of the periods of the series (day, week or month)."""
        self.filters = filters
        self.starts = starts
        self.months = month_buckets(since=filters.start, until=filters.end + timedelta(days=1))
        # The activity knows people, networks and days; not campaigns nor posts.
        self.from_activity = filters.campaign_id is None and filters.post_id is None

    @cached_property
    def counts(self) -> dict[tuple[str, int], int]:
        """(network, index of the series period) → shares."""
        filters = self.filters
        starts = self.starts or [filters.start]
        if self.from_activity and filters.group_id is None and filters.ambassador_id is None:
            rows = ShareDayCount.objects.filter(day__gte=filters.start, day__lte=filters.end)
            if filters.network:
                rows = rows.filter(network=filters.network)
            found: Counter[tuple[str, int]] = Counter()
            for network, day, n in rows.values_list("network", "day", "shares"):
                found[(network, bisect_right(starts, day) - 1)] += n
            return dict(found)
        shares, params = (
            shares_for(filters=filters).values_list("network", "created_at").query.sql_with_params()
        )
        bucket, bucket_params = bucket_sql("u.created_at", starts)
        counted = _fetch(
            f"SELECT u.network, {bucket}, COUNT(*) FROM ({shares}) u GROUP BY 1, 2",
            [*bucket_params, *params],
        )
        return {(network, bucket): n for network, bucket, n in counted}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_network(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        for (network, _bucket), n in self.counts.items():
            found[network] += n
        return dict(sorted(found.items()))

    def series(self) -> dict[date, int]:
        assert self.starts is not None
        found: Counter[date] = Counter()
        for (_network, bucket), n in self.counts.items():
            if bucket >= 0:
                found[self.starts[bucket]] += n
        return dict(found)

    def _activity_where(self, *, per_network: bool) -> tuple[list[str], list]:
        """SQL conditions (on the activity as `u`) for rows whose days meet the period: one
        per person (any network, or the chosen one), or with `per_network` one per person and
        network."""
        filters = self.filters
        where = ["u.first_day <= %s", "u.last_day >= %s"]
        params: list = [filters.end.toordinal(), filters.start.toordinal()]
        if filters.network:
            where.append("u.network = %s")
            params.append(filters.network)
        else:
            # Every network's rows (network codes sort after ""), or the any-network row.
            where.append("u.network > ''" if per_network else "u.network = ''")
        if filters.ambassador_id is not None:
            where.append("u.person_id = %s")
            params.append(filters.ambassador_id)
        if filters.group_id is not None:
            where.append(
                f"u.person_id IN (SELECT person_id FROM {MEMBERSHIPS} WHERE group_id = %s)"
            )
            params.append(filters.group_id)
        return where, params

    @cached_property
    def _whole_programme_rows(self) -> list[tuple[int, int, int]]:
        """(person, first day, bitmap) of everyone who shared between the first cohort month
        and the period's end, any network: what cohorts read, and without filters what the
        period's figures read too (one query for both)."""
        # Raw rows, not the ORM's: 10,000 rows of bitmaps cost twice as much through model
        # field conversion. Read from the covering index `activity_by_network` alone.
        rows = _fetch(
            f"SELECT person_id, first_day, days FROM {ACTIVITY} "
            "WHERE network = '' AND first_day <= %s AND last_day >= %s",
            [self.filters.end.toordinal(), self.months[0].toordinal()],
        )
        return [(person, start, int.from_bytes(days, "little")) for person, start, days in rows]

    @cached_property
    def people_days(self) -> dict[int, int]:
        """Person → bitmap of the days of the period on which they shared (within the
        filters), bit 0 = the period's first day. Only people who shared."""
        filters = self.filters
        first, last = filters.start.toordinal(), filters.end.toordinal()
        if self.from_activity and not filters.click_filters():
            found = _windows(self._whole_programme_rows, first, last)
        elif self.from_activity:
            where, params = self._activity_where(per_network=False)
            sql = f"SELECT u.person_id, u.first_day, u.days FROM {ACTIVITY} u WHERE "
            rows = _fetch(sql + " AND ".join(where), params)
            found = _windows(((p, s, int.from_bytes(d, "little")) for p, s, d in rows), first, last)
        else:
            found = defaultdict(int)
            shared = shares_for(filters=filters).exclude(person=None)
            for person, at in shared.values_list("person_id", "created_at"):
                found[person] |= 1 << (local_day(at).toordinal() - first)
        return {person: days for person, days in found.items() if days}

    @cached_property
    def active_people(self) -> set[int]:
        return set(self.people_days)

    def adoption(self) -> Adoption:
        """Counts at the end of the period (people of the group when one is chosen)."""
        filters = self.filters
        people = Person.objects.filter(date_joined__lt=filters.until)
        if filters.group_id is not None:
            people = people.filter(groups=filters.group_id)
        opted_in = Q(opted_in_at__lt=filters.until) & (
            Q(opted_out_at__isnull=True) | Q(opted_out_at__gte=filters.until)
        )
        found = people.aggregate(
            accounts=Count("pk"),
            activated=Count("pk", filter=Q(activated_at__lt=filters.until)),
            opted_in=Count("pk", filter=opted_in),
        )
        return Adoption(**found, active=len(self.active_people))

    @cached_property
    def _reach(self) -> dict[str, int]:
        if not self.from_activity:
            return self._reach_from_shares()
        first, last = self.filters.start.toordinal(), self.filters.end.toordinal()
        where, params = self._activity_where(per_network=True)
        rows = f"FROM {ACTIVITY} u WHERE u.followers > 0 AND " + " AND ".join(where)
        inside = "u.first_day >= %s AND u.last_day <= %s"
        found: Counter[str] = Counter()
        # Whoever shared only within the period shared in it: summed in the database.
        for network, followers in _fetch(
            f"SELECT u.network, SUM(u.followers) {rows} AND {inside} GROUP BY u.network",
            [*params, first, last],
        ):
            found[network] += followers
        # The bitmaps of the others (who also shared before or after) say whether they did in
        # between.
        for network, followers, start, days in _fetch(
            f"SELECT u.network, u.followers, u.first_day, u.days {rows} AND NOT ({inside})",
            [*params, first, last],
        ):
            if _window(int.from_bytes(days, "little"), start, first, last):
                found[network] += followers
        return dict(sorted(found.items()))

    def _reach_from_shares(self) -> dict[str, int]:
        pairs = set(
            shares_for(filters=self.filters)
            .exclude(person=None)
            .values_list("person_id", "network")
            .distinct()
        )
        people_ids = {person for person, _network in pairs}
        accounts = NetworkAccount.objects.filter(person_id__in=people_ids)
        found: Counter[str] = Counter()
        for person, network, followers in accounts.values_list("person_id", "network", "followers"):
            if (person, network) in pairs:
                found[network] += followers
        return dict(sorted(found.items()))

    def potential_reach(self) -> dict[str, int]:
        """Per network: declared followers of the people who shared there in the period, each
        person counted once per network however often they shared."""
        return self._reach

    def monthly_active(self) -> dict[date, int]:
        """Distinct people sharing per month of the organisation's calendar."""
        masks = _month_masks(self.months, self.filters.start, self.filters.end)
        windows = list(self.people_days.values())
        # One pass per month over plain integers: far quicker in Python than per person.
        found = [sum(1 for days in windows if days & mask) for mask in masks]
        return {month: n for month, n in zip(self.months, found, strict=True) if n}

    def engagement_by_group(self) -> list[Engagement]:
        """Per group: share of its opted-in members who shared at least once in the period."""
        groups = Group.objects.order_by("name")
        if self.filters.group_id is not None:
            groups = groups.filter(pk=self.filters.group_id)
        members: Counter[int] = Counter()
        active: Counter[int] = Counter()
        active_people = self.active_people
        # Only opted-in members count, on both sides: someone who shared and then opted out
        # is no longer a member the index is about.
        for person, group in self._opted_in_memberships():
            members[group] += 1
            if person in active_people:
                active[group] += 1
        return [Engagement(group=g, members=members[g.pk], active=active[g.pk]) for g in groups]

    def _opted_in_memberships(self) -> list[tuple[int, int]]:
        """(person, group) of every membership (of the chosen group) of an opted-in person. In
        SQL, so that rows come back as the database gives them, without the ORM converting
        10,000 of them."""
        sql = (
            f"SELECT m.person_id, m.group_id FROM {MEMBERSHIPS} m "
            f"JOIN {PEOPLE} p ON p.id = m.person_id "
            "WHERE p.opted_in_at IS NOT NULL AND p.opted_out_at IS NULL"
        )
        params = []
        if self.filters.group_id is not None:
            sql += " AND m.group_id = %s"
            params.append(self.filters.group_id)
        return _fetch(sql, params)

    def cohorts(self) -> list[tuple[date, int, list[int]]]:
        """Cohort retention: for each month M of the period, (M, people whose first share ever
        was in M, [how many of them shared in M, M+1, M+2 … up to the period's end]).
        Whatever the filters, over the whole programme."""
        months, end = self.months, self.filters.end
        first = months[0].toordinal()
        masks = _month_masks(months, months[0], end)
        starts = [month.toordinal() for month in months]
        cohorts: dict[int, list[int]] = defaultdict(list)
        for _person, start, days in self._whole_programme_rows:
            if start >= first:  # first share ever in the period's months: a newcomer
                # Bit 0 = the first month's first day. Bits after the period's end stay: no
                # month's mask reaches them.
                cohorts[bisect_right(starts, start) - 1].append(days << (start - first))
        # Everyone shared in their first month (M+0): only the months after are tested.
        grid = {
            cohort: [len(windows)]
            + [sum(1 for days in windows if days & mask) for mask in masks[cohort + 1 :]]
            for cohort, windows in cohorts.items()
        }
        base = _month_index(months[0])
        return [
            (date((base + n) // 12, (base + n) % 12 + 1, 1), grid[n][0], grid[n])
            for n in sorted(grid)
        ]


@dataclass(frozen=True)
class Engagement:
    group: Group
    members: int  # opted-in members
    active: int

    @property
    def index(self) -> float | None:
        return None if not self.members else self.active / self.members


def adoption_for(*, filters: Filters) -> Adoption:
    return ShareFigures(filters).adoption()


def shares_by_network(*, filters: Filters) -> dict[str, int]:
    return ShareFigures(filters).by_network()


def potential_reach(*, filters: Filters) -> dict[str, int]:
    return ShareFigures(filters).potential_reach()


def monthly_active(*, filters: Filters) -> dict[date, int]:
    return ShareFigures(filters).monthly_active()


def cohorts(*, filters: Filters) -> list[tuple[date, int, list[int]]]:
    return ShareFigures(filters).cohorts()


def engagement_by_group(*, filters: Filters) -> list[Engagement]:
    return ShareFigures(filters).engagement_by_group()
