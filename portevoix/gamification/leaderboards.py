"""Leaderboards by period and group. People who hid from rankings never appear in them (they
still see their own rank), nor do people who are not (or no longer) ambassadors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group, Person
from portevoix.accounts.scopes import scope_of
from portevoix.gamification.models import PointEntry

PERIODS = {
    "week": _("This week"),
    "month": _("This month"),
    "quarter": _("This quarter"),
    "all": _("All time"),
}


@dataclass(frozen=True)
class Row:
    rank: int
    person_id: int
    name: str
    points: int


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Start of the current period in the organisation's time zone; None for all time."""
    today = timezone.localdate(now or timezone.now())
    if period == "week":
        start = today - timedelta(days=today.weekday())
    elif period == "month":
        start = today.replace(day=1)
    elif period == "quarter":
        start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    elif period == "all":
        return None
    else:
        raise ValueError(period)
    return timezone.make_aware(datetime.combine(start, time.min))


def _totals(*, period: str, group: Group | None, now: datetime | None, visible_only: bool):
    people = Person.objects.filter(is_active=True, opted_in_at__isnull=False)
    if visible_only:
        people = people.filter(hide_from_rankings=False)
    if group is not None:
        people = people.filter(groups=group)
    since = period_start(period, now)
    in_period = Q(point_entries__occurred_at__gte=since) if since else Q()
    return (
        people.annotate(total=Sum("point_entries__points", filter=in_period))
        .filter(total__gt=0)
        .order_by("-total", "full_name", "pk")
    )


def leaderboard(
    *, period: str, group: Group | None = None, limit: int = 50, now: datetime | None = None
) -> list[Row]:
    """Ranks with ties sharing a rank (1, 2, 2, 4)."""
    rows: list[Row] = []
    previous_total, rank = None, 0
    for index, person in enumerate(
        _totals(period=period, group=group, now=now, visible_only=True)[:limit], start=1
    ):
        if person.total != previous_total:
            rank, previous_total = index, person.total
        rows.append(Row(rank, person.pk, person.full_name, person.total))
    return rows


def takes_part(person: Person, *, group: Group | None = None) -> bool:
    """Whether this ranking is one the person is part of: active, opted in and, for a group's
    ranking, a member of the group (hiding from rankings does not matter: they see their rank)."""
    if not person.is_active or person.opted_in_at is None:
        return False
    return group is None or person.groups.filter(pk=group.pk).exists()


def rank_of(
    person: Person, *, period: str, group: Group | None = None, now: datetime | None = None
) -> Row | None:
    """The person's own rank among the visible people, whether or not they hid themselves;
    None when they have no points in the period or are not part of this ranking."""
    if not takes_part(person, group=group):
        return None
    since = period_start(period, now)
    entries = PointEntry.objects.filter(person=person)
    if since:
        entries = entries.filter(occurred_at__gte=since)
    total = entries.aggregate(total=Sum("points"))["total"] or 0
    if total == 0:
        return None
    ahead = (
        _totals(period=period, group=group, now=now, visible_only=True)
        .exclude(pk=person.pk)
        .filter(total__gt=total)
        .count()
    )
    return Row(ahead + 1, person.pk, person.full_name, total)


def leaderboard_group(*, viewer: Person, group: Group | None) -> Group | None:
    """The group whose ranking this person may read. A scoped editor reads their scope's
    groups only (the first by name unless they chose another); everyone else any group or
    the whole organisation."""
    scope = scope_of(viewer)
    if not viewer.is_pilot or scope.is_whole:
        return group
    if group is None:
        return scope.groups().order_by("name").first()
    if not scope.allows_group(group.pk):
        raise Http404(_("This group is outside your scope."))
    return group


def leaderboard_groups(*, viewer: Person) -> QuerySet[Group]:
    """The groups offered as filters."""
    return scope_of(viewer).groups() if viewer.is_pilot else Group.objects.all()
