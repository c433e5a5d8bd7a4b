"""People, for admins: read with the read scope; invite, change and deactivate with the admin
scope. The admin pages' forms check the values (InviteForm, PersonForm), the accounts services
act, and every change goes to the audit log as from the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from portevoix.accounts.forms import InviteForm, PersonForm
from portevoix.accounts.invitations import invitation_issue
from portevoix.accounts.models import Person, Role
from portevoix.accounts.people import person_deactivate, person_reactivate
from portevoix.accounts.scopes import scope_of
from portevoix.api.access import ADMIN, guard, require
from portevoix.api.models import Scope
from portevoix.api.pagination import PageParams, page_of
from portevoix.api.problems import ApiProblem
from portevoix.api.schemas import NO_NUL, READ_ERRORS, WRITE_ERRORS, ObjectId, Strict
from portevoix.core.audit import audit_change, audit_record, model_snapshot

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    groups: list[int]
    scope_groups: list[int]
    is_active: bool
    opted_in: bool
    activated_at: datetime | None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class PeopleQuery(Schema):
    q: str = Field("", max_length=100, pattern=NO_NUL)


class InviteIn(Strict):
    email: str = Field(max_length=254)
    full_name: str
    role: Role = Role.AMBASSADOR
    groups: list[ObjectId] = []


class InvitedOut(Schema):
    email: str
    role: str
    expires_at: datetime


class PersonPatch(Strict):
    full_name: str | None = None
    role: Role | None = None
    groups: list[ObjectId] | None = None
    scope_groups: list[ObjectId] | None = None


def person_shape(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "groups": [group.pk for group in person.groups.all()],
        "scope_groups": [group.pk for group in person.scope_groups.all()],
        "is_active": person.is_active,
        "opted_in": person.opted_in_at is not None,
        "activated_at": person.activated_at,
    }


def _refused(errors: Any) -> ApiProblem:
    found = {("body" if k == "__all__" else k): list(v) for k, v in errors.items()}
    return ApiProblem(422, "invalid-input", _("Some values are not accepted."), errors=found)


def _people(request: HttpRequest) -> Any:
    """The people the caller may see: an admin limited to groups sees those groups' people."""
    caller = request.auth.person  # type: ignore[attr-defined]
    return scope_of(caller).people().prefetch_related("groups", "scope_groups")


@router.get(
    "", auth=guard(Scope.READ, ADMIN), response={200: PersonPage, **READ_ERRORS}, summary="People"
)
def person_list(request: HttpRequest, query: Query[PeopleQuery], page: Query[PageParams]) -> Any:
    require(request, scope=Scope.READ, roles=ADMIN)
    people = _people(request)
    if query.q.strip():
        text = query.q.strip()
        people = people.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    return page_of(people, cursor=page.cursor, limit=page.limit, shape=person_shape)


@router.post(
    "/invite",
    auth=guard(Scope.ADMIN, ADMIN),
    response={201: InvitedOut, **WRITE_ERRORS},
    summary="Invite someone",
)
def person_invite(request: HttpRequest, payload: InviteIn) -> Any:
    admin = require(request, scope=Scope.ADMIN, roles=ADMIN)
    form = InviteForm(data=payload.model_dump(), inviter=admin)
    if not form.is_valid():
        raise _refused(form.errors)
    invitation = invitation_issue(
        email=form.cleaned_data["email"],
        full_name=form.cleaned_data["full_name"],
        role=form.cleaned_data["role"],
        groups=list(form.cleaned_data["groups"]),
        invited_by=admin,
    )
    return Status(
        201,
        {
            "email": invitation.email,
            "role": invitation.role,
            "expires_at": invitation.expires_at,
        },
    )


@router.get(
    "/{person_id}",
    auth=guard(Scope.READ, ADMIN),
    response={200: PersonOut, **READ_ERRORS},
    summary="A person",
)
def person_read(request: HttpRequest, person_id: Path[ObjectId]) -> Any:
    require(request, scope=Scope.READ, roles=ADMIN)
    return person_shape(get_object_or_404(_people(request), pk=person_id))


@router.patch(
    "/{person_id}",
    auth=guard(Scope.ADMIN, ADMIN),
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Change name, role, groups, scope",
)
def person_change(request: HttpRequest, person_id: Path[ObjectId], payload: PersonPatch) -> Any:
    admin = require(request, scope=Scope.ADMIN, roles=ADMIN)
    person = get_object_or_404(_people(request), pk=person_id)
    values: dict[str, Any] = {
        "full_name": person.full_name,
        "role": person.role,
        "groups": [group.pk for group in person.groups.all()],
        "scope_groups": [group.pk for group in person.scope_groups.all()],
        # Not in the API's schema: the form must keep it as it is.
        "data_protection_officer": person.data_protection_officer,
        **payload.model_dump(exclude_unset=True),
    }
    if "scope_groups" in payload.model_fields_set and not scope_of(admin).is_whole:
        raise ApiProblem(
            403, "forbidden", _("Only an administrator of the whole organisation sets scopes.")
        )
    before = model_snapshot(person)
    form = PersonForm(data=values, instance=person, editor=admin)
    if not form.is_valid():
        raise _refused(form.errors)
    form.save()
    audit_change(
        actor=admin,
        action="person_changed",
        target=person,
        before=before,
        after=model_snapshot(person),
        through="API",
    )
    return person_shape(_people(request).get(pk=person.pk))


@router.post(
    "/{person_id}/deactivate",
    auth=guard(Scope.ADMIN, ADMIN),
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Deactivate",
)
def person_deactivate_op(request: HttpRequest, person_id: Path[ObjectId]) -> Any:
    admin = require(request, scope=Scope.ADMIN, roles=ADMIN)
    person = get_object_or_404(_people(request), pk=person_id)
    if person == admin:
        raise ApiProblem(409, "self", _("You cannot deactivate yourself."))
    person_deactivate(person=person)
    audit_record(actor=admin, action="person_deactivated", target=person)
    return person_shape(_people(request).get(pk=person.pk))


@router.post(
    "/{person_id}/reactivate",
    auth=guard(Scope.ADMIN, ADMIN),
    response={200: PersonOut, **WRITE_ERRORS},
    summary="Reactivate",
)
def person_reactivate_op(request: HttpRequest, person_id: Path[ObjectId]) -> Any:
    admin = require(request, scope=Scope.ADMIN, roles=ADMIN)
    person = get_object_or_404(_people(request), pk=person_id)
    person_reactivate(person=person)
    audit_record(actor=admin, action="person_reactivated", target=person)
    return person_shape(_people(request).get(pk=person.pk))
