"""Figures about people and shares: adoption, programme health, engagement, potential reach."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from portevoix.accounts.models import Group, NetworkAccount, Person
from portevoix.analytics.filters import Filters
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import organisation_zone


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
    shared = shares_for(filters=filters).filter(
        person_id=OuterRef("person_id"), network=OuterRef("network")
    )
    rows = (
        NetworkAccount.objects.filter(Exists(shared))
        .values("network")
        .annotate(total=Sum("followers"))
        .order_by("network")
    )
    return {row["network"]: row["total"] or 0 for row in rows}


def monthly_active(*, filters: Filters) -> dict[date, int]:
    """Distinct people sharing per month of the organisation's calendar."""
    rows = (
        shares_for(filters=filters)
        .exclude(person=None)
        .annotate(month=TruncMonth("created_at", tzinfo=organisation_zone()))
        .values("month")
        .annotate(n=Count("person", distinct=True))
        .order_by("month")
    )
    return {row["month"].date(): row["n"] for row in rows}


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def cohorts(*, filters: Filters) -> list[tuple[date, int, list[int]]]:
    """Cohort retention: for each month M of the period, (M, people whose first share ever was
    in M, [how many of them shared in M, M+1, M+2 … up to the period's end])."""
    zone = organisation_zone()
    months = (
        Share.objects.exclude(person=None)
        .filter(created_at__lt=filters.until)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values_list("person_id", "month")
        .distinct()
    )
    active: dict[int, set[int]] = defaultdict(set)
    for person_id, month in months:
        active[person_id].add(_month_index(month.date()))
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
