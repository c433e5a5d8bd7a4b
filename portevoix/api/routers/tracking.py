"""Shares, tracked links with their all-time counts, and verified clicks by period, for the
pilot team (the Tracked links page's selectors). A click's visitor hash never leaves the platform."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from portevoix.accounts.models import Network
from portevoix.accounts.scopes import scope_of
from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import NO_NUL, READ_ERRORS, ObjectId
from portevoix.sharing.models import Share
from portevoix.tracking.models import Click, ClickKind, TrackedLink
from portevoix.tracking.selectors import link_totals, links_for_pilots
from portevoix.tracking.visitors import day_start

router = Router(tags=["tracking"])
MAX_DAYS = 3 * 366  # as the dashboard's filters


class LinkOut(Schema):
    id: int
    code: str
    post: int
    ambassador: int | None
    network: str
    destination: str
    disabled: bool
    created_at: datetime
    totals: dict[str, int]


class LinkPage(Schema):
    items: list[LinkOut]
    next_cursor: str | None


class LinkQuery(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL)


class ShareOut(Schema):
    id: int
    post: int
    person: int | None
    network: str
    created_at: datetime


class SharePage(Schema):
    items: list[ShareOut]
    next_cursor: str | None


class ShareQuery(Schema):
    post: ObjectId | None = None
    person: ObjectId | None = None
    network: Network | None = None


class ClickOut(Schema):
    id: int
    link: int
    at: datetime
    device: str
    referrer_host: str


class ClickPage(Schema):
    items: list[ClickOut]
    next_cursor: str | None


class ClickQuery(Schema):
    start: date
    end: date
    link: ObjectId | None = None
    post: ObjectId | None = None


@router.get(
    "/links",
    auth=guard(Scope.READ, PILOT),
    response={200: LinkPage, **READ_ERRORS},
    summary="Tracked links",
)
def link_list(request: HttpRequest, query: Query[LinkQuery], page: Query[PageParams]) -> Any:
    person = require(request, scope=Scope.READ, roles=PILOT)
    found = page_of(
        links_for_pilots(viewer=person, query=query.q),
        cursor=page.cursor,
        limit=page.limit,
        shape=lambda x: x,
    )
    links: list[TrackedLink] = found["items"]
    totals = link_totals(links=links)
    found["items"] = [
        {
            "id": link.pk,
            "code": link.code,
            "post": link.post_id,
            "ambassador": link.ambassador_id,
            "network": link.network,
            "destination": link.destination,
            "disabled": link.disabled,
            "created_at": link.created_at,
            "totals": dict(totals.get(link.pk, {})),
        }
        for link in links
    ]
    return found


@router.get(
    "/shares",
    auth=guard(Scope.READ, PILOT),
    response={200: SharePage, **READ_ERRORS},
    summary="Shares (who shared which post where; not their text)",
)
def share_list(request: HttpRequest, query: Query[ShareQuery], page: Query[PageParams]) -> Any:
    person = require(request, scope=Scope.READ, roles=PILOT)
    # The shares of the people in the caller's entity scope (accounts/scopes.py).
    shares = Share.objects.filter(scope_of(person).person_filter("person"))
    if query.post is not None:
        shares = shares.filter(post_id=query.post)
    if query.person is not None:
        shares = shares.filter(person_id=query.person)
    if query.network is not None:
        shares = shares.filter(network=query.network)
    return page_of(
        shares,
        cursor=page.cursor,
        limit=page.limit,
        shape=lambda s: {
            "id": s.pk,
            "post": s.post_id,
            "person": s.person_id,
            "network": s.network,
            "created_at": s.created_at,
        },
    )


@router.get(
    "/clicks",
    auth=guard(Scope.READ, PILOT),
    response={200: ClickPage, **READ_ERRORS},
    summary="Verified clicks, by period",
)
def click_list(request: HttpRequest, query: Query[ClickQuery], page: Query[PageParams]) -> Any:
    """Days in the organisation's time zone, the end included, as on the dashboard."""
    person = require(request, scope=Scope.READ, roles=PILOT)
    if query.start > query.end or (query.end - query.start).days >= MAX_DAYS:
        raise ApiProblem(400, "bad-filter", _("The period must run forward, three years at most."))
    if query.start.year < 2000 or query.end.year > 9000:
        raise ApiProblem(400, "bad-filter", _("This period is out of bounds."))
    clicks = Click.objects.filter(
        scope_of(person).person_filter("link__ambassador"),
        kind=ClickKind.VERIFIED,
        at__gte=day_start(query.start),
        at__lt=day_start(query.end + timedelta(days=1)),
    )
    if query.link is not None:
        clicks = clicks.filter(link_id=query.link)
    if query.post is not None:
        clicks = clicks.filter(link__post_id=query.post)
    return page_of(
        clicks,
        cursor=page.cursor,
        limit=page.limit,
        shape=lambda c: {
            "id": c.pk,
            "link": c.link_id,
            "at": c.at,
            "device": c.device,
            "referrer_host": c.referrer_host,
        },
    )
