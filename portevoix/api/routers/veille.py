"""The curation inbox's items, for the pilot team: the inbox's own filter form and services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.routers.posts import PostOut, post_shape
from portevoix.api.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId
from portevoix.content.models import Post
from portevoix.core.audit import audit_record
from portevoix.veille.forms import InboxFilterForm
from portevoix.veille.inbox import (
    DraftOutOfScope,
    inbox_items,
    item_dismiss,
    item_restore,
    item_to_draft,
)
from portevoix.veille.models import Item
from portevoix.veille.selectors import items_visible, sources_visible, watches_visible

router = Router(tags=["veille"])


class ItemOut(Schema):
    id: int
    source: int
    title: str
    link: str
    summary: str
    author: str
    language: str
    tone: str
    dated_at: datetime
    dismissed: bool
    post: int | None


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None


class ItemQuery(Schema):
    """The inbox page's filters, checked by its own form."""

    status: str = Field("new", max_length=20)
    source: ObjectId | None = None
    topic: ObjectId | None = None
    watch: ObjectId | None = None
    tone: str = Field("", max_length=20)


def _item(item: Item) -> dict[str, Any]:
    return {
        **{
            name: getattr(item, name)
            for name in ("id", "title", "link", "summary", "author", "language", "tone")
        },
        "source": item.source_id,
        "dated_at": item.dated_at,
        "dismissed": item.dismissed_at is not None,
        "post": item.post_id,
    }


@router.get(
    "/items",
    auth=guard(Scope.READ, PILOT),
    response={200: ItemPage, **READ_ERRORS},
    summary="Curation inbox items",
)
def item_list(request: HttpRequest, query: Query[ItemQuery], page: Query[PageParams]) -> Any:
    person = require(request, scope=Scope.READ, roles=PILOT)
    form = InboxFilterForm(
        {k: v for k, v in query.model_dump().items() if v is not None},
        sources=sources_visible(person),
        watches=watches_visible(person),
    )
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise ApiProblem(400, "bad-filter", str(next(iter(errors.values()))[0]), errors=errors)
    items = items_visible(person, inbox_items(**form.filters()))
    return page_of(items, cursor=page.cursor, limit=page.limit, shape=_item)


@router.post(
    "/items/{item_id}/dismiss",
    auth=guard(Scope.WRITE, PILOT),
    response={200: ItemOut, **WRITE_ERRORS},
    summary="Dismiss",
)
def item_dismiss_op(request: HttpRequest, item_id: Path[ObjectId]) -> Any:
    person = require(request, scope=Scope.WRITE, roles=PILOT)
    item = get_object_or_404(items_visible(person), pk=item_id)
    item_dismiss(item=item, person=person)
    audit_record(actor=person, action="veille_item_dismissed", target=item.title, through="API")
    return _item(Item.objects.get(pk=item.pk))


@router.post(
    "/items/{item_id}/restore",
    auth=guard(Scope.WRITE, PILOT),
    response={200: ItemOut, **WRITE_ERRORS},
    summary="Back to inbox",
)
def item_restore_op(request: HttpRequest, item_id: Path[ObjectId]) -> Any:
    person = require(request, scope=Scope.WRITE, roles=PILOT)
    item = get_object_or_404(items_visible(person), pk=item_id)
    item_restore(item=item)
    audit_record(actor=person, action="veille_item_restored", target=item.title, through="API")
    return _item(Item.objects.get(pk=item.pk))


@router.post(
    "/items/{item_id}/draft",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, 201: PostOut, **WRITE_ERRORS},
    summary="Make a draft post of it (or find the one made)",
)
def item_draft_op(request: HttpRequest, item_id: Path[ObjectId]) -> Any:
    person = require(request, scope=Scope.WRITE, roles=PILOT)
    item = get_object_or_404(items_visible(person), pk=item_id)
    try:
        post, created = item_to_draft(item=item, person=person)
    except DraftOutOfScope:
        raise ApiProblem(
            409, "out-of-scope", _("This item is already a post, outside your scope.")
        ) from None
    if created:
        audit_record(actor=person, action="veille_item_drafted", target=post, through="API")
    shaped = post_shape(
        Post.objects.prefetch_related("topics", "target_groups", "messages").get(pk=post.pk)
    )
    return Status(201 if created else 200, shaped)
