"""Campaigns, topics and groups: what posts and figures refer to by id (read only for now)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from portevoix.accounts.models import Group
from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId, Strict
from portevoix.content.forms import CampaignForm
from portevoix.content.models import Campaign, CampaignGoal, Topic
from portevoix.core.audit import audit_change, model_snapshot

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


class CampaignIn(Strict):
    name: str
    utm_campaign: str = ""
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    goal: CampaignGoal = CampaignGoal.SHARES
    goal_target: int | None = Field(None, ge=0, le=2**31 - 1)


class CampaignPatch(Strict):
    name: str | None = None
    utm_campaign: str | None = None
    description: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    goal: CampaignGoal | None = None
    goal_target: int | None = Field(None, ge=0, le=2**31 - 1)


def _campaign_saved(
    request: HttpRequest, campaign: Campaign | None, values: dict[str, Any]
) -> Campaign:
    """The campaign page's own form checks and saves: one copy of its rules (UTM name)."""
    before = model_snapshot(campaign) if campaign else {}
    form = CampaignForm(data=values, instance=campaign)
    if not form.is_valid():
        errors = {
            ("body" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        raise ApiProblem(422, "invalid-input", _("Some values are not accepted."), errors=errors)
    saved = form.save()
    audit_change(
        actor=request.auth.person,  # type: ignore[attr-defined]
        action="campaign_changed" if before else "campaign_created",
        target=saved,
        before=before,
        after=model_snapshot(saved),
        through="API",
    )
    return saved


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


@router.post(
    "/campaigns",
    auth=guard(Scope.WRITE, PILOT),
    response={201: CampaignOut, **WRITE_ERRORS},
    tags=["campaigns"],
    summary="Create a campaign",
)
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    require(request, scope=Scope.WRITE, roles=PILOT)
    return Status(201, _campaign_shape(_campaign_saved(request, None, payload.model_dump())))


@router.patch(
    "/campaigns/{campaign_id}",
    auth=guard(Scope.WRITE, PILOT),
    response={200: CampaignOut, **WRITE_ERRORS},
    tags=["campaigns"],
    summary="Change a campaign",
)
def campaign_change(
    request: HttpRequest, campaign_id: Path[ObjectId], payload: CampaignPatch
) -> dict[str, Any]:
    require(request, scope=Scope.WRITE, roles=PILOT)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    values = {name: getattr(campaign, name) for name in CampaignIn.model_fields}
    values.update(payload.model_dump(exclude_unset=True))
    return _campaign_shape(_campaign_saved(request, campaign, values))


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
