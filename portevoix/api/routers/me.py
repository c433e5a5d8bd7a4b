"""The caller's own: who they are, their shares, their statistics and their points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from portevoix.analytics.dashboard import personal_figures
from portevoix.api.access import EVERYONE, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.routers.analytics import FigureFilters, FiguresOut, figures_shape, filters_from
from portevoix.api.schemas import READ_ERRORS
from portevoix.gamification.points import points_total
from portevoix.sharing.models import Share

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    language: str
    opted_in: bool
    scope: str


class ShareOut(Schema):
    id: int
    post: int
    network: str
    created_at: datetime


class SharePage(Schema):
    items: list[ShareOut]
    next_cursor: str | None


class PointsOut(Schema):
    total: int


@router.get(
    "",
    auth=guard(Scope.READ, EVERYONE),
    response={200: MeOut, **READ_ERRORS},
    summary="Who the token acts as",
)
def me(request: HttpRequest) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    return {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "language": person.language,
        "opted_in": person.opted_in_at is not None,
        "scope": request.auth.scope,  # type: ignore[attr-defined]
    }


@router.get(
    "/shares",
    auth=guard(Scope.READ, EVERYONE),
    response={200: SharePage, **READ_ERRORS},
    summary="My shares",
)
def my_shares(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    return page_of(
        Share.objects.filter(person=person),
        cursor=page.cursor,
        limit=page.limit,
        shape=lambda s: {
            "id": s.pk,
            "post": s.post_id,
            "network": s.network,
            "created_at": s.created_at,
        },
    )


@router.get(
    "/statistics",
    auth=guard(Scope.READ, EVERYONE),
    response={200: FiguresOut, **READ_ERRORS},
    summary="My key figures",
)
def my_statistics(request: HttpRequest, query: Query[FigureFilters]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    filters = filters_from(query.model_copy(update={"ambassador": None})).for_person(person.pk)
    return figures_shape(filters, personal_figures(filters))


@router.get(
    "/points",
    auth=guard(Scope.READ, EVERYONE),
    response={200: PointsOut, **READ_ERRORS},
    summary="My points",
)
def my_points(request: HttpRequest) -> dict[str, int]:
    person = require(request, scope=Scope.READ, roles=EVERYONE)
    return {"total": points_total(person)}
