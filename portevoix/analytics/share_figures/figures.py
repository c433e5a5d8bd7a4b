"""`ShareFigures`: every share and people figure of one page, read along the page's route
(routes.py)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, wraps
from typing import Any, TypeVar

from django.db.models import Count, Q

from portevoix.accounts.models import Group, Person
from portevoix.analytics.filters import Filters
from portevoix.analytics.share_figures import activity_reads, share_reads
from portevoix.analytics.share_figures.bitmaps import (
    month_buckets,
    month_index,
    month_masks,
    windows,
)
from portevoix.analytics.share_figures.raw_rows import MEMBERSHIPS, PEOPLE, fetch
from portevoix.analytics.share_figures.routes import NETWORK, PROGRAMME, SHARES, share_route

T = TypeVar("T")
# What a kept ShareFigures leaves behind (dashboard.py): one row or bitmap per person, read
# again only if a figure not kept yet needs them.
PER_PERSON = ("_whole_programme_rows", "people_days", "active_people")


def _figure(method: Callable[[ShareFigures], T]) -> Callable[[ShareFigures], T]:
    """A figure computed once per object, and kept with it when the dashboard keeps the
    object across ingestion batches, which change no share figure (dashboard.py)."""
    name = method.__name__

    @wraps(method)
    def once(self: ShareFigures) -> T:
        results = self.__dict__.setdefault("results", {})
        if name not in results:
            results[name] = method(self)
        return results[name]

    return once


@dataclass(frozen=True)
class Adoption:
    accounts: int  # people with an account, invited or not
    activated: int
    opted_in: int
    active: int  # opted-in people with at least one share in the period

    @property
    def participation_rate(self) -> float | None:
        return None if not self.opted_in else self.active / self.opted_in


@dataclass(frozen=True)
class Engagement:
    group: Group
    members: int  # opted-in members
    active: int

    @property
    def index(self) -> float | None:
        return None if not self.members else self.active / self.members


class ShareFigures:
    """Every share and people figure of one page for one set of filters, each query once."""

    def __init__(self, filters: Filters, starts: list[date] | None = None) -> None:
        """`starts`: the first days of the periods of the series (day, week or month)."""
        self.filters = filters
        self.starts = starts
        self.months = month_buckets(since=filters.start, until=filters.end + timedelta(days=1))
        self.route = share_route(filters)

    @property
    def from_activity(self) -> bool:
        """Whether the share activity answers (it knows people, networks and days; not
        campaigns nor posts)."""
        return self.route != SHARES

    @from_activity.setter
    def from_activity(self, value: bool) -> None:
        """False reads the period's shares whatever the filters: the reference the activity's
        figures are checked against. Forgets what was computed the other way."""
        self.route = share_route(self.filters) if value else SHARES
        for name in ("results", "counts", "_reach", *PER_PERSON):
            self.__dict__.pop(name, None)

    def __getstate__(self) -> dict[str, Any]:
        """Kept (pickled) without the per-person rows: the figures computed from them are
        kept, and they are most of the object's size."""
        return {key: found for key, found in self.__dict__.items() if key not in PER_PERSON}

    @cached_property
    def counts(self) -> dict[tuple[str, int], int]:
        """(network, index of the series period) → shares."""
        starts = self.starts or [self.filters.start]
        if self.route in (PROGRAMME, NETWORK):
            return activity_reads.day_counts(self.filters, starts)
        return share_reads.share_counts(self.filters, starts)

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

    @cached_property
    def _whole_programme_rows(self) -> list[tuple[int, int, int]]:
        """(person, first day, bitmap) of everyone who shared between the first cohort month
        and the period's end, any network: what cohorts read, and without filters what the
        period's figures read too (one query for both)."""
        return activity_reads.whole_programme_rows(since=self.months[0], end=self.filters.end)

    @cached_property
    def people_days(self) -> dict[int, int]:
        """Person → bitmap of the days of the period on which they shared (within the
        filters), bit 0 = the period's first day. Only people who shared."""
        filters = self.filters
        if self.route == PROGRAMME:
            first, last = filters.start.toordinal(), filters.end.toordinal()
            found = windows(self._whole_programme_rows, first, last)
        elif self.route == SHARES:
            found = share_reads.people_days(filters)
        else:
            found = activity_reads.people_days(filters)
        return {person: days for person, days in found.items() if days}

    @cached_property
    def active_people(self) -> set[int]:
        return set(self.people_days)

    @_figure
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
        return Adoption(**found, active=self._active_count())

    def _active_count(self) -> int:
        """People who shared in the period (within the filters). From the activity, counted
        by the database but for those active before and after the period: a page's key
        figures and its previous period's never read everyone's bitmap — unless the page has
        read them already for another figure."""
        if self.route == SHARES or "people_days" in self.__dict__:
            return len(self.active_people)
        return activity_reads.active_count(self.filters)

    @cached_property
    def _reach(self) -> dict[str, int]:
        if self.route == SHARES:
            return share_reads.reach(self.filters)
        return activity_reads.reach(self.filters)

    def potential_reach(self) -> dict[str, int]:
        """Per network: declared followers of the people who shared there in the period, each
        person counted once per network however often they shared."""
        return self._reach

    @_figure
    def monthly_active(self) -> dict[date, int]:
        """Distinct people sharing per month of the organisation's calendar."""
        masks = month_masks(self.months, self.filters.start, self.filters.end)
        days_of_people = list(self.people_days.values())
        # One pass per month over plain integers: far quicker in Python than per person.
        found = [sum(1 for days in days_of_people if days & mask) for mask in masks]
        return {month: n for month, n in zip(self.months, found, strict=True) if n}

    @_figure
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
        return fetch(sql, params)

    def _group_members(self) -> set[int] | None:
        """The chosen group's members (None: no group chosen)."""
        if self.filters.group_id is None:
            return None
        sql = f"SELECT person_id FROM {MEMBERSHIPS} WHERE group_id = %s"
        return {person for (person,) in fetch(sql, [self.filters.group_id])}

    @_figure
    def cohorts(self) -> list[tuple[date, int, list[int]]]:
        """Cohort retention: for each month M of the period, (M, people whose first share ever
        was in M, [how many of them shared in M, M+1, M+2 … up to the period's end]).
        Whatever the network, over the whole programme, or the chosen group's members (the
        only people a scoped editor may count: analytics/filters.py)."""
        months, end = self.months, self.filters.end
        first = months[0].toordinal()
        masks = month_masks(months, months[0], end)
        starts = [month.toordinal() for month in months]
        members = self._group_members()
        cohorts: dict[int, list[int]] = defaultdict(list)
        for person, start, days in self._whole_programme_rows:
            if members is not None and person not in members:
                continue
            if start >= first:  # first share ever in the period's months: a newcomer
                # Bit 0 = the first month's first day. Bits after the period's end stay: no
                # month's mask reaches them.
                cohorts[bisect_right(starts, start) - 1].append(days << (start - first))
        # Everyone shared in their first month (M+0): only the months after are tested.
        grid = {
            cohort: [len(people)]
            + [sum(1 for days in people if days & mask) for mask in masks[cohort + 1 :]]
            for cohort, people in cohorts.items()
        }
        base = month_index(months[0])
        return [
            (date((base + n) // 12, (base + n) % 12 + 1, 1), grid[n][0], grid[n])
            for n in sorted(grid)
        ]
