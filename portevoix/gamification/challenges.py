"""Challenges: live standings while they run, frozen results at their close.

Standings count events in [starts_at, ends_at) on the challenge's scope (its campaign's posts,
or its chosen posts):
- shares: distinct (post, network) an ambassador shared — sharing the same thing twice is one;
- verified clicks: verified clicks on the ambassador's links;
- conversions: counted conversions from the ambassador's links.
Only people who take part now count (opted in, active); people hidden from rankings are not
listed (teams still count their contribution). Ties are broken by who reached the value first
(the time of their last counted event: earlier wins), then by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from portevoix.accounts.models import Group, Person
from portevoix.accounts.scopes import scope_of
from portevoix.content.models import Post
from portevoix.content.selectors import post_audience_filter
from portevoix.gamification.models import Challenge, ChallengeResult, Metric, Mode
from portevoix.gamification.signals import challenge_closed, challenge_started
from portevoix.sharing.models import Share
from portevoix.tracking.models import Click, ClickKind, Conversion


@dataclass(frozen=True)
class Standing:
    rank: int
    name: str
    value: int
    reached_at: datetime | None
    person_id: int | None = None
    group_id: int | None = None
    winner: bool = False


CHALLENGE_POSTS = Challenge.posts.through


def challenges_visible(viewer: Person) -> QuerySet[Challenge]:
    """Every challenge for ambassadors (they may all take part) and for the whole
    organisation's pilot team. A scoped editor's are those that count only posts of their
    scope (chosen posts, each targeted within it: a challenge on a whole campaign is
    organisation-wide) and those they created."""
    scope = scope_of(viewer)
    challenges = Challenge.objects.all()
    if scope.is_whole or not viewer.is_pilot:
        return challenges
    in_scope = Post.objects.filter(post_audience_filter(scope)).values("pk")
    counted = CHALLENGE_POSTS.objects.filter(challenge_id=OuterRef("pk"))
    outside = counted.exclude(post_id__in=in_scope)
    return challenges.filter(
        Q(campaign__isnull=True) & Exists(counted) & ~Exists(outside) | Q(created_by=viewer)
    )


def _scope_posts(challenge: Challenge) -> QuerySet[Post]:
    if challenge.campaign_id:
        return Post.objects.filter(campaign_id=challenge.campaign_id)
    return challenge.posts.all()


def _per_person(challenge: Challenge, until: datetime) -> dict[int, tuple[int, datetime]]:
    """person id → (value, time of their last counted event)."""
    posts = _scope_posts(challenge)
    window = {"gte": challenge.starts_at, "lt": min(until, challenge.ends_at)}
    rows: QuerySet[Any, dict[str, Any]]
    if challenge.metric == Metric.SHARES:
        rows = (
            Share.objects.filter(
                post__in=posts,
                person__isnull=False,
                created_at__gte=window["gte"],
                created_at__lt=window["lt"],
            )
            .values("person_id")
            .annotate(value=Count("tracked_link_id", distinct=True), last=Max("created_at"))
        )
        return {r["person_id"]: (r["value"], r["last"]) for r in rows}
    if challenge.metric == Metric.VERIFIED_CLICKS:
        rows = (
            Click.objects.filter(
                link__post__in=posts,
                kind=ClickKind.VERIFIED,
                at__gte=window["gte"],
                at__lt=window["lt"],
            )
            .values("link__ambassador_id")
            .annotate(value=Count("id"), last=Max("at"))
        )
        return {r["link__ambassador_id"]: (r["value"], r["last"]) for r in rows}
    rows = (
        Conversion.objects.filter(
            link__post__in=posts, counted=True, at__gte=window["gte"], at__lt=window["lt"]
        )
        .values("link__ambassador_id")
        .annotate(value=Count("id"), last=Max("at"))
    )
    return {r["link__ambassador_id"]: (r["value"], r["last"]) for r in rows}


def _ranked(entries: list[Standing], challenge: Challenge) -> list[Standing]:
    entries.sort(key=lambda s: (-s.value, s.reached_at or challenge.ends_at, s.name))
    ranked = []
    for index, entry in enumerate(entries, start=1):
        winner = index <= challenge.winners_count and entry.value >= challenge.min_threshold
        ranked.append(
            Standing(
                index,
                entry.name,
                entry.value,
                entry.reached_at,
                entry.person_id,
                entry.group_id,
                winner,
            )
        )
    return ranked


def challenge_standings(*, challenge: Challenge, now: datetime | None = None) -> list[Standing]:
    now = now or timezone.now()
    values = _per_person(challenge, now)
    taking_part = Person.objects.filter(pk__in=values, is_active=True, opted_in_at__isnull=False)
    if challenge.mode == Mode.INDIVIDUAL:
        entries = [
            Standing(0, person.full_name, *values[person.pk], person_id=person.pk)
            for person in taking_part.filter(hide_from_rankings=False)
        ]
        return _ranked(entries, challenge)
    members = Person.groups.through.objects.filter(
        person_id__in=taking_part.values("pk"), group_id__in=challenge.teams.values("pk")
    )
    totals: dict[int, tuple[int, datetime | None]] = {
        g.pk: (0, None) for g in challenge.teams.all()
    }
    for membership in members:
        value, last = values[membership.person_id]
        total, reached = totals[membership.group_id]
        totals[membership.group_id] = (total + value, max(filter(None, [reached, last])))
    names = dict(Group.objects.filter(pk__in=totals).values_list("pk", "name"))
    entries = [
        Standing(0, names[pk], value, reached, group_id=pk)
        for pk, (value, reached) in totals.items()
    ]
    return _ranked(entries, challenge)


def my_standing(*, challenge: Challenge, person: Person, now: datetime | None = None) -> int:
    return _per_person(challenge, now or timezone.now()).get(person.pk, (0, None))[0]


def challenge_close(*, challenge: Challenge, now: datetime | None = None) -> bool:
    """Freeze the standings as of the end time and, after commit, send `challenge_closed` (the
    winners are announced by its listeners), once. The conditional update is the claim: two
    workers never close (or announce) the same challenge twice."""
    now = now or timezone.now()
    if now < challenge.ends_at:
        return False
    with transaction.atomic():
        if not Challenge.objects.filter(pk=challenge.pk, closed_at__isnull=True).update(
            closed_at=now
        ):
            return False
        standings = challenge_standings(challenge=challenge, now=challenge.ends_at)
        ChallengeResult.objects.bulk_create(
            ChallengeResult(
                challenge=challenge,
                rank=s.rank,
                person_id=s.person_id,
                group_id=s.group_id,
                name=s.name,
                value=s.value,
                winner=s.winner,
            )
            for s in standings
        )
        transaction.on_commit(lambda: challenge_closed.send(sender=Challenge, challenge=challenge))
    return True


def challenges_close_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(
        challenge_close(challenge=c, now=now)
        for c in Challenge.objects.filter(closed_at__isnull=True, ends_at__lte=now)
    )


def challenges_announce_started(*, now: datetime | None = None) -> int:
    """Announce that a running challenge has started, once per challenge: the conditional update
    claims it (and commits), then `challenge_started` goes to whoever tells the people."""
    now = now or timezone.now()
    announced = 0
    for challenge in Challenge.objects.filter(
        start_announced_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    ):
        if Challenge.objects.filter(pk=challenge.pk, start_announced_at__isnull=True).update(
            start_announced_at=now
        ):
            challenge_started.send(sender=Challenge, challenge=challenge)
            announced += 1
    return announced
