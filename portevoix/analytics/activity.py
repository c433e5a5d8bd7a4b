"""Share activity (`ShareActivity`, `ShareDayCount`): what the dashboards need of the shares,
kept beside them so that a year of the programme is read in one row per person.

Both are always rebuilt from the shares themselves, never incremented: a person's rows after
each of their shares is created or deleted (receivers.py), every row at once for data loaded in
bulk (`activity_rebuild_all`, used by the migration, the demo and the synthetic organisation).
Rebuilding is idempotent, so a figure can never drift from the shares it comes from. Each
network's row also carries the person's declared followers there (what potential reach sums),
copied from their network account at rebuild and whenever the account is saved or deleted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction

from portevoix.accounts.models import NetworkAccount, Person
from portevoix.analytics.models import ShareActivity, ShareDayCount
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import day_start, local_day

CHUNK = 500  # people per query: SQLite caps the parameters of one statement


def bitmap(days: Iterable[int]) -> tuple[int, int, bytes]:
    """(first day, last day, bits little-endian) of a set of day numbers."""
    found = set(days)
    first, last = min(found), max(found)
    bits = 0
    for day in found:
        bits |= 1 << (day - first)
    return first, last, bits.to_bytes((last - first) // 8 + 1, "little")


def followers_of(people: list[int] | None = None) -> dict[tuple[int, str], int]:
    """(person, network) → declared followers, of these people (or of everyone)."""
    accounts = NetworkAccount.objects.order_by()
    if people is not None:
        accounts = accounts.filter(person_id__in=people)
    found = accounts.values_list("person_id", "network", "followers")
    return {(person, network): followers for person, network, followers in found}


def _activity_rows(
    shares: Iterable[tuple[int, str, datetime | float]], followers: dict[tuple[int, str], int]
) -> list[ShareActivity]:
    days: dict[tuple[int, str], set[int]] = defaultdict(set)
    for person, network, at in shares:
        day = local_day(at).toordinal()
        days[(person, network)].add(day)
        days[(person, "")].add(day)
    rows = []
    for (person, network), found in days.items():
        first, last, bits = bitmap(found)
        rows.append(
            ShareActivity(
                person_id=person,
                network=network,
                first_day=first,
                last_day=last,
                days=bits,
                followers=followers.get((person, network), 0) if network else 0,
            )
        )
    return rows


def activity_rebuild(*, person_id: int) -> None:
    """One person's rows, from their shares. The person's row is locked first, so that two
    shares saved at once by the same person are counted one after the other (PostgreSQL)."""
    with transaction.atomic():
        if not Person.objects.select_for_update().filter(pk=person_id).exists():
            return  # being deleted: their rows go with them
        shares = Share.objects.filter(person_id=person_id).order_by()
        rows = _activity_rows(
            shares.values_list("person_id", "network", "created_at"), followers_of([person_id])
        )
        ShareActivity.objects.filter(person_id=person_id).delete()
        ShareActivity.objects.bulk_create(rows)


def followers_copy(*, person_id: int, network: str, followers: int) -> None:
    """A network account saved or deleted (0): its followers onto the person's activity row
    of that network, which potential reach sums."""
    ShareActivity.objects.filter(person_id=person_id, network=network).update(followers=followers)


def share_count_rebuild(*, network: str, day: date) -> None:
    """The count of one network and day, from the shares."""
    with transaction.atomic():
        shares = Share.objects.filter(
            network=network,
            created_at__gte=day_start(day),
            created_at__lt=day_start(day + timedelta(days=1)),
        ).count()
        ShareDayCount.objects.filter(network=network, day=day).delete()
        if shares:
            ShareDayCount.objects.create(network=network, day=day, shares=shares)


def activity_rebuild_all() -> tuple[int, int]:
    """Every row from every share. Returns (activity rows, day counts)."""
    counts: Counter[tuple[str, date]] = Counter()
    written = 0
    with transaction.atomic():
        ShareActivity.objects.all().delete()
        ShareDayCount.objects.all().delete()
        people = list(
            Share.objects.exclude(person=None)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        followers = followers_of()
        for start in range(0, len(people), CHUNK):
            shares = (
                Share.objects.filter(person_id__in=people[start : start + CHUNK])
                .order_by()
                .values_list("person_id", "network", "created_at")
            )
            rows = _activity_rows(shares, followers)
            ShareActivity.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
        for network, at in Share.objects.order_by().values_list("network", "created_at"):
            counts[(network, local_day(at))] += 1
        ShareDayCount.objects.bulk_create(
            [ShareDayCount(network=n, day=d, shares=c) for (n, d), c in counts.items()],
            batch_size=2000,
        )
    return written, len(counts)
