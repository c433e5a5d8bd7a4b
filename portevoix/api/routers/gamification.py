"""The leaderboard and challenges with their standings, as the pages show them to everyone:
people hidden from rankings are absent, closed challenges show their frozen results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema

from portevoix.accounts.models import Group
from portevoix.api.access import EVERYONE, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import READ_ERRORS, ObjectId
from portevoix.gamification.challenges import (
    challenge_standings,
    challenges_visible,
    my_standing,
)
from portevoix.gamification.leaderboards import PERIODS, leaderboard, leaderboard_group, rank_of
from portevoix.gamification.models import Challenge

router = Router(tags=["gamification"])


class RankOut(Schema):
    rank: int
    person: int
    name: str
    points: int


class LeaderboardOut(Schema):
    period: str
    rows: list[RankOut]
    me: RankOut | None


class LeaderboardQuery(Schema):
    period: str = "month"
    group: ObjectId | None = None


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    metric: str
    mode: str
    campaign: int | None
    closed: bool


class ChallengePage(Schema):
    items: list[ChallengeOut]
    next_cursor: str | None


class StandingOut(Schema):
    rank: int
    name: str
    value: int
    winner: bool


class ChallengeDetailOut(ChallengeOut):
    standings: list[StandingOut]
    mine: int


def _rank(row: Any) -> dict[str, Any]:
    return {"rank": row.rank, "person": row.person_id, "name": row.name, "points": row.points}


def _challenge(challenge: Challenge) -> dict[str, Any]:
    return {
        **{name: getattr(challenge, name) for name in ("id", "title", "description")},
        **{name: getattr(challenge, name) for name in ("starts_at", "ends_at", "metric", "mode")},
        "campaign": challenge.campaign_id,
        "closed": challenge.closed_at is not None,
    }


@router.get(
    "/leaderboard",
    auth=guard(Scope.READ, EVERYONE),
    response={200: LeaderboardOut, **READ_ERRORS},
    summary="Leaderboard",
)
def leaderboard_read(request: HttpRequest, query: Query[LeaderboardQuery]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    if query.period not in PERIODS:
        raise ApiProblem(
            400,
            "bad-filter",
            _("Unknown period: choose one of %(periods)s.") % {"periods": ", ".join(PERIODS)},
        )
    group = None
    if query.group is not None:
        group = Group.objects.filter(pk=query.group).first()
        if group is None:
            raise ApiProblem(400, "bad-filter", _("Unknown group: %(v)s.") % {"v": query.group})
    group = leaderboard_group(viewer=person, group=group)
    mine = rank_of(person, period=query.period, group=group)
    return {
        "period": query.period,
        "rows": [_rank(row) for row in leaderboard(period=query.period, group=group)],
        "me": _rank(mine) if mine else None,
    }


@router.get(
    "/challenges",
    auth=guard(Scope.READ, EVERYONE),
    response={200: ChallengePage, **READ_ERRORS},
    summary="Challenges",
)
def challenge_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    return page_of(
        challenges_visible(person), cursor=page.cursor, limit=page.limit, shape=_challenge
    )


@router.get(
    "/challenges/{challenge_id}",
    auth=guard(Scope.READ, EVERYONE),
    response={200: ChallengeDetailOut, **READ_ERRORS},
    summary="A challenge and its standings",
)
def challenge_read(request: HttpRequest, challenge_id: Path[ObjectId]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    challenge = get_object_or_404(challenges_visible(person), pk=challenge_id)
    closed = challenge.closed_at is not None
    standings = challenge.results.all() if closed else challenge_standings(challenge=challenge)
    return {
        **_challenge(challenge),
        "standings": [
            {"rank": s.rank, "name": s.name, "value": s.value, "winner": s.winner}
            for s in standings
        ],
        "mine": my_standing(challenge=challenge, person=person),
    }
