"""The programme's key figures: the dashboard's own function on the dashboard's own filters,
so the API and the page cannot disagree."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from portevoix.analytics.dashboard import Figure, programme_figures
from portevoix.analytics.filters import (
    FilterError,
    Filters,
    filters_parse,
    filters_within_scope,
)
from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import READ_ERRORS

router = Router(tags=["analytics"])


class FigureOut(Schema):
    slug: str
    label: str
    value: int | float | None
    kind: str


class FiguresOut(Schema):
    start: date
    end: date
    figures: list[FigureOut]


class FigureFilters(Schema):
    """The dashboard's query string, word for word (docs/analytics.md)."""

    period: str | None = None
    start: str | None = None
    end: str | None = None
    by: str | None = None
    campaign: str | None = None
    post: str | None = None
    group: str | None = None
    network: str | None = None
    ambassador: str | None = None


def filters_from(query: FigureFilters) -> Filters:
    try:
        return filters_parse(data=query.model_dump(exclude_none=True))
    except FilterError as error:
        raise ApiProblem(400, "bad-filter", str(error)) from error


def figures_shape(filters: Filters, figures: list[Figure]) -> dict[str, Any]:
    return {
        "start": filters.start,
        "end": filters.end,
        "figures": [
            {"slug": f.slug, "label": str(f.label), "value": f.value, "kind": f.kind}
            for f in figures
        ],
    }


@router.get(
    "/figures",
    auth=guard(Scope.READ, PILOT),
    response={200: FiguresOut, **READ_ERRORS},
    summary="The dashboard's key figures",
)
def figures(request: HttpRequest, query: Query[FigureFilters]) -> dict[str, Any]:
    person = require(request, scope=Scope.READ, roles=PILOT)
    filters = filters_within_scope(filters_from(query), viewer=person)
    return figures_shape(filters, programme_figures(filters=filters))
