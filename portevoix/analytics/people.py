"""Figures about people and shares: adoption, programme health, engagement, potential reach."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When

from portevoix.accounts.models import Group, NetworkAccount, Person
from portevoix.analytics.filters import Filters
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import day_start


def shares_for(*, filters: Filters) -> QuerySet[Share]:
    shares = Share.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
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
    invited: int
    activated: int
    opted_in: int
    active: int  # opted-in people with at least one share in the period

    @property
    def participation_rate(self) -> float | None:
        return None if not self.opted_in else self.active / self.opted_in


def adoption_for(*, filters: Filters) -> Adoption:
    """Counts at the end of the period (people of the group when one is chosen)."""
    people = Person.objects.filter(date_joined__lt=filters.until)
    if filters.group_id is not None:
        people = people.filter(groups=filters.group_id)
    opted_in = people.filter(opted_in_at__lt=filters.until).filter(
        Q(opted_out_at__isnull=True) | Q(opted_out_at__gte=filters.until)
    )
    return Adoption(
        invited=people.count(),
        activated=people.filter(activated_at__lt=filters.until).count(),
        opted_in=opted_in.count(),
        active=shares_for(filters=filters).exclude(person=None).values("person").distinct().count(),
    )


def shares_by_network(*, filters: Filters) -> dict[str, int]:
    rows = shares_for(filters=filters).values("network").annotate(n=Count("id"))
    return {row["network"]: row["n"] for row in rows.order_by("network")}


def potential_reach(*, filters: Filters) -> dict[str, int]:
    """Per network: declared followers of the people who shared there in the period, each
    person counted once per network however often they shared."""
    pairs = set(
        shares_for(filters=filters)
        .exclude(person=None)
        .values_list("person_id", "network")
        .distinct()
    )
    if not pairs:
        return {}
    people_ids = {person for person, _network in pairs}
    accounts = NetworkAccount.objects.values_list("person_id", "network", "followers")
    if len(people_ids) < 500:  # SQLite caps query parameters; beyond that, read them all
        accounts = accounts.filter(person_id__in=people_ids)
    found: dict[str, int] = defaultdict(int)
    for person, network, followers in accounts:
        if (person, network) in pairs:
            found[network] += followers
    return dict(sorted(found.items()))


def month_buckets(*, since: date, until: date) -> list[date]:
    """First days of the months from `since`'s month to the one containing `until - 1 day`."""
    months, month = [], since.replace(day=1)
    while month < until:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def bucket_of(starts: list[date], *, before: int | None = None) -> Case:
    """SQL expression: the index of the period (organisation days from `starts[i]` to
    `starts[i+1]`) a share's time falls in. Plain comparisons, so the database compares
    instants instead of converting every row to local time."""
    edges = [day_start(start) for start in starts]
    whens = []
    if before is not None:
        whens.append(When(created_at__lt=edges[0], then=Value(before)))
    whens += [
        When(created_at__gte=edge, then=Value(n)) for n, edge in reversed(list(enumerate(edges)))
    ]
    return Case(*whens, default=Value(-2), output_field=IntegerField())


def monthly_active(*, filters: Filters) -> dict[date, int]:
    """Distinct people sharing per month of the organisation's calendar."""
    months = month_buckets(since=filters.start, until=filters.end + timedelta(days=1))
    rows = (
        shares_for(filters=filters)
        .exclude(person=None)
        .annotate(bucket=bucket_of(months))
        .values("bucket")
        .annotate(n=Count("person", distinct=True))
    )
    found = {row["bucket"]: row["n"] for row in rows}
    return {month: found[n] for n, month in enumerate(months) if n in found}


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def cohorts(*, filters: Filters) -> list[tuple[date, int, list[int]]]:
    """Cohort retention: for each month M of the period, (M, people whose first share ever was
    in M, [how many of them shared in M, M+1, M+2 … up to the period's end])."""
    starts = month_buckets(since=filters.start, until=filters.end + timedelta(days=1))
    # Only the people whose first share ever falls in the period belong to its cohorts:
    # find them first (one aggregate), then read their shares alone.
    newcomers = (
        Share.objects.exclude(person=None)
        .values("person_id")
        .annotate(first=Min("created_at"))
        .filter(first__gte=day_start(starts[0]), first__lt=filters.until)
        .values("person_id")
    )
    rows = (
        Share.objects.filter(person_id__in=newcomers, created_at__lt=filters.until)
        .annotate(bucket=bucket_of(starts))
        .values_list("person_id", "bucket")
        .distinct()
    )
    active: dict[int, set[int]] = defaultdict(set)
    for person_id, bucket in rows:
        active[person_id].add(_month_index(starts[bucket]))
    first_index, last_index = _month_index(filters.start), _month_index(filters.end)
    grid: dict[int, list[int]] = {}
    for person_months in active.values():
        first = min(person_months)
        if first < first_index:
            continue
        row = grid.setdefault(first, [0] * (last_index - first + 1))
        for index in person_months:
            row[index - first] += 1
    return [
        (date(index // 12, index % 12 + 1, 1), grid[index][0], grid[index])
        for index in sorted(grid)
    ]


@dataclass(frozen=True)
class Engagement:
    group: Group
    members: int  # opted-in members
    active: int

    @property
    def index(self) -> float | None:
        return None if not self.members else self.active / self.members


def engagement_by_group(*, filters: Filters) -> list[Engagement]:
    """Per group: share of its opted-in members who shared at least once in the period."""
    groups = Group.objects.order_by("name")
    if filters.group_id is not None:
        groups = groups.filter(pk=filters.group_id)
    opted = Q(members__opted_in_at__isnull=False, members__opted_out_at__isnull=True)
    members = dict(
        groups.annotate(n=Count("members", filter=opted, distinct=True)).values_list("pk", "n")
    )
    active = defaultdict(int)
    rows = (
        shares_for(filters=filters)
        .exclude(person=None)
        .values("person__groups")
        .annotate(n=Count("person", distinct=True))
    )
    for row in rows:
        active[row["person__groups"]] = row["n"]
    return [Engagement(group=g, members=members.get(g.pk, 0), active=active[g.pk]) for g in groups]
