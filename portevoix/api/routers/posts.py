"""Posts: the pilot team's list, detail, create, edit and workflow, through the same forms'
rules (content/forms) and services (content/posts.py, content/workflow.py) as the pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from portevoix.accounts.models import Network
from portevoix.api.access import PILOT, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import NO_NUL, READ_ERRORS, WRITE_ERRORS, Moment, ObjectId, Strict
from portevoix.content.errors import ContentError
from portevoix.content.forms import PostForm, message_formset
from portevoix.content.models import Post, PostKind, PostStatus, Priority
from portevoix.content.posts import post_create, post_update
from portevoix.content.selectors import posts_visible
from portevoix.content.workflow import (
    post_archive,
    post_publish,
    post_return_to_draft,
    post_submit,
)

router = Router(tags=["posts"])


class MessageIn(Strict):
    network: Network | Literal[""] = ""
    language: str
    text: str


class MessageOut(Schema):
    network: str
    language: str
    text: str


class PostIn(Strict):
    title: str
    kind: PostKind = PostKind.LINK
    url: str = ""
    commentary: str = ""
    preview_title: str = ""
    preview_description: str = ""
    preview_image_url: str = ""
    topics: list[ObjectId] = []
    campaign: ObjectId | None = None
    target_groups: list[ObjectId] = []
    languages: list[str] = []
    open_to_alumni: bool = False
    priority: Priority = Priority.NORMAL
    points: int = 10
    published_at: Moment | None = None
    expires_at: Moment | None = None
    event_starts_at: Moment | None = None
    location: str = ""
    messages: list[MessageIn] = []


class PostPatch(Strict):
    title: str | None = None
    kind: PostKind | None = None
    url: str | None = None
    commentary: str | None = None
    preview_title: str | None = None
    preview_description: str | None = None
    preview_image_url: str | None = None
    topics: list[ObjectId] | None = None
    campaign: ObjectId | None = None
    target_groups: list[ObjectId] | None = None
    languages: list[str] | None = None
    open_to_alumni: bool | None = None
    priority: Priority | None = None
    points: int | None = None
    published_at: Moment | None = None
    expires_at: Moment | None = None
    event_starts_at: Moment | None = None
    location: str | None = None
    messages: list[MessageIn] | None = None


class PostOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    url: str
    commentary: str
    preview_title: str
    preview_description: str
    preview_image_url: str
    campaign: int | None
    topics: list[int]
    target_groups: list[int]
    languages: list[str]
    open_to_alumni: bool
    priority: int
    points: int
    published_at: datetime | None
    expires_at: datetime | None
    event_starts_at: datetime | None
    location: str
    created_at: datetime
    messages: list[MessageOut]


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None


class PostFilters(Schema):
    status: PostStatus | None = None
    kind: PostKind | None = None
    campaign: ObjectId | None = None
    q: str | None = Field(None, max_length=100, pattern=NO_NUL)


def post_shape(post: Post) -> dict[str, Any]:
    return {
        **{name: getattr(post, name) for name in PostOut.model_fields if hasattr(post, name)},
        "campaign": post.campaign_id,
        "topics": [t.pk for t in post.topics.all()],
        "target_groups": [g.pk for g in post.target_groups.all()],
        "languages": post.language_codes,
        "messages": [
            {"network": m.network, "language": m.language, "text": m.text}
            for m in post.messages.all()
        ],
    }


def _posts(request: HttpRequest) -> Any:
    """The posts the caller may see: their entity scope's (accounts/scopes.py), like the pages."""
    person = request.auth.person  # type: ignore[attr-defined]
    return posts_visible(person).prefetch_related("topics", "target_groups", "messages")


def _form_errors(*forms_errors: Mapping[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for errors in forms_errors:
        for name, messages in errors.items():
            found.setdefault("body" if name == "__all__" else name, []).extend(
                str(message) for message in messages
            )
    return found


def _saved(request: HttpRequest, post: Post | None, values: dict[str, Any]) -> Post:
    """The pages' own form and message rows check the values, then the pages' services save:
    one copy of every rule."""
    messages = values.pop("messages", [])
    form = PostForm(data=values, post=post, viewer=request.auth.person)  # type: ignore[attr-defined]
    rows: dict[str, Any] = {
        "messages-TOTAL_FORMS": str(len(messages)),
        "messages-INITIAL_FORMS": "0",
    }
    for index, message in enumerate(messages):
        for name in ("network", "language", "text"):
            rows[f"messages-{index}-{name}"] = message[name]
    # no initial rows: the rows sent are the whole list (an unchanged row would be skipped)
    formset = message_formset(rows)
    if not (form.is_valid() & formset.is_valid()):
        message_errors: dict[str, list[str]] = {
            f"messages.{i}.{name}": [str(error) for error in errors]
            for i, row in enumerate(formset.forms)
            for name, errors in row.errors.items()
        }
        for error in formset.non_form_errors():
            message_errors.setdefault("messages", []).append(str(error))
        raise ApiProblem(
            422,
            "invalid-input",
            _("Some values are not accepted."),
            errors=_form_errors(form.errors, message_errors),
        )
    actor = request.auth.person  # type: ignore[attr-defined]
    try:
        if post is None:
            return post_create(author=actor, data=form.cleaned_data, messages=formset.messages())
        return post_update(
            post=post, actor=actor, data=form.cleaned_data, messages=formset.messages()
        )
    except ContentError as error:
        raise ApiProblem(422, "refused", str(error)) from error


@router.get(
    "", auth=guard(Scope.READ, PILOT), response={200: PostPage, **READ_ERRORS}, summary="List posts"
)
def post_list(
    request: HttpRequest, filters: Query[PostFilters], page: Query[PageParams]
) -> dict[str, Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    posts = _posts(request)
    if filters.status:
        posts = posts.filter(status=filters.status)
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    if filters.campaign is not None:
        posts = posts.filter(campaign_id=filters.campaign)
    if filters.q:
        query = filters.q.strip()[:100]
        posts = posts.filter(Q(title__icontains=query) | Q(url__icontains=query))
    return page_of(posts, cursor=page.cursor, limit=page.limit, shape=post_shape)


@router.post(
    "",
    auth=guard(Scope.WRITE, PILOT),
    response={201: PostOut, **WRITE_ERRORS},
    summary="Create a draft post",
)
def post_new(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    require(request, scope=Scope.WRITE, roles=PILOT)
    post = _saved(request, None, payload.model_dump(mode="python"))
    return Status(201, post_shape(_posts(request).get(pk=post.pk)))


@router.get(
    "/{post_id}",
    auth=guard(Scope.READ, PILOT),
    response={200: PostOut, **READ_ERRORS},
    summary="Read a post",
)
def post_read(request: HttpRequest, post_id: Path[ObjectId]) -> dict[str, Any]:
    require(request, scope=Scope.READ, roles=PILOT)
    return post_shape(get_object_or_404(_posts(request), pk=post_id))


@router.patch(
    "/{post_id}",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, **WRITE_ERRORS},
    summary="Change a post",
)
def post_change(
    request: HttpRequest, post_id: Path[ObjectId], payload: PostPatch
) -> dict[str, Any]:
    require(request, scope=Scope.WRITE, roles=PILOT)
    post = get_object_or_404(_posts(request), pk=post_id)
    values = model_to_dict(post, exclude=["image", "languages", "author", "status"])
    values["languages"] = post.language_codes
    values["topics"] = [topic.pk for topic in post.topics.all()]
    values["target_groups"] = [group.pk for group in post.target_groups.all()]
    values["messages"] = [
        {"network": m.network, "language": m.language, "text": m.text} for m in post.messages.all()
    ]
    values.update(payload.model_dump(mode="python", exclude_unset=True))
    if "messages" in values and values["messages"] is None:
        raise ApiProblem(422, "invalid-input", _("Messages cannot be null: send a list."))
    _saved(request, post, values)
    return post_shape(_posts(request).get(pk=post.pk))


class ReturnIn(Strict):
    """A comment: for the author when sent back, kept with the approval when approved."""

    note: str = Field("", max_length=1000)


def _step(request: HttpRequest, post_id: int, service: Any, **more: Any) -> dict[str, Any]:
    person = require(request, scope=Scope.WRITE, roles=PILOT)
    post = get_object_or_404(_posts(request), pk=post_id)
    try:
        # The workflow function records the step in the audit log, saying it came through here.
        service(post=post, actor=person, through="API", **more)
    except ContentError as error:
        raise ApiProblem(409, "workflow", str(error)) from error
    return post_shape(_posts(request).get(pk=post.pk))


@router.post(
    "/{post_id}/submit",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, **WRITE_ERRORS},
    summary="Send for review",
)
def post_submit_op(request: HttpRequest, post_id: Path[ObjectId]) -> dict[str, Any]:
    return _step(request, post_id, post_submit)


@router.post(
    "/{post_id}/publish",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, **WRITE_ERRORS},
    summary="Publish now, or schedule at its publication date (with four-eyes approval on: "
    "approve, never one's own post)",
)
def post_publish_op(
    request: HttpRequest, post_id: Path[ObjectId], payload: ReturnIn | None = None
) -> dict[str, Any]:
    return _step(request, post_id, post_publish, note=payload.note if payload else "")


@router.post(
    "/{post_id}/archive",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, **WRITE_ERRORS},
    summary="Archive",
)
def post_archive_op(request: HttpRequest, post_id: Path[ObjectId]) -> dict[str, Any]:
    return _step(request, post_id, post_archive)


@router.post(
    "/{post_id}/return",
    auth=guard(Scope.WRITE, PILOT),
    response={200: PostOut, **WRITE_ERRORS},
    summary="Back to draft, with a note for the author",
)
def post_return_op(
    request: HttpRequest, post_id: Path[ObjectId], payload: ReturnIn
) -> dict[str, Any]:
    return _step(request, post_id, post_return_to_draft, note=payload.note)
