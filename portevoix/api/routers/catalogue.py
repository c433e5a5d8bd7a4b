"""Campaigns, topics and groups: what posts and figures refer to by id (read only for now)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema

from portevoix.accounts.models import Group
from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.schemas import READ_ERRORS, ObjectId
from portevoix.content.models import Campaign, Topic

router = Router()


class CampaignOut(Schema):
    id: int
    name: str
    utm_campaign: str
    starts_on: date | None
    ends_on: date | None
    description: str
    goal: str
    goal_target: int | None
    created_at: datetime


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class NamedOut(Schema):
    id: int
    name: str


class GroupOut(NamedOut):
    kind: str


def _campaign_shape(campaign: Campaign) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in CampaignOut.model_fields}


@router.get(
    "/campaigns",
    auth=guard(Scope.READ, PILOT),
    response={200: CampaignPage, **READ_ERRORS},
    tags=["campaigns"],
    summary="List campaigns",
)
def campaign_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    return page_of(
        Campaign.objects.all(), cursor=page.cursor, limit=page.limit, shape=_campaign_shape
    )


@router.get(
    "/campaigns/{campaign_id}",
    auth=guard(Scope.READ, PILOT),
    response={200: CampaignOut, **READ_ERRORS},
    tags=["campaigns"],
    summary="Read a campaign",
)
def campaign_read(request: HttpRequest, campaign_id: Path[ObjectId]) -> dict[str, Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    return _campaign_shape(get_object_or_404(Campaign, pk=campaign_id))


@router.get(
    "/topics",
    auth=guard(Scope.READ, PILOT),
    response={200: list[NamedOut], **READ_ERRORS},
    tags=["topics"],
    summary="Topics",
)
def topic_list(request: HttpRequest) -> list[Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    return list(Topic.objects.order_by("name").values("id", "name"))


@router.get(
    "/groups",
    auth=guard(Scope.READ, PILOT),
    response={200: list[GroupOut], **READ_ERRORS},
    tags=["groups"],
    summary="Groups",
)
def group_list(request: HttpRequest) -> list[Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    return list(Group.objects.order_by("name").values("id", "name", "kind"))
