"""SCIM Groups are Portevoix groups: what posts target, what leaderboards and dashboards break
down by. Members are provisioned people (SCIM Users); people an admin put in a group by hand
stay in it, unseen by the provider.

DELETE unlinks the group and takes its provisioned members out, but keeps the group: posts
targeted at it must not fall back to reaching everybody, and its history stays in the figures.
A group of the same name provisioned again is linked back to it.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from scim2_models import (
    Context,
    Group,
    GroupMember,
    InvalidValueException,
    Meta,
    PatchOp,
    UniquenessException,
)

from portevoix.accounts.groups import group_create, group_rename
from portevoix.accounts.models import Group as PortevoixGroup
from portevoix.accounts.models import Person
from portevoix.core.audit import audit_record
from portevoix.scim.models import ScimGroup, ScimToken, ScimUser
from portevoix.scim.provider_forms import group_patch_body
from portevoix.scim.schemas import base_url

NAME_MAX = cast(models.CharField, PortevoixGroup._meta.get_field("name")).max_length or 120


def group_location(link: ScimGroup) -> str:
    return f"{base_url()}/Groups/{link.scim_id}"


def _members_of(group: PortevoixGroup) -> list[GroupMember]:
    return [
        GroupMember.model_validate(
            {"value": str(scim_id), "$ref": f"{base_url()}/Users/{scim_id}", "type": "User"}
        )
        for scim_id in ScimUser.objects.filter(person__groups=group)
        .order_by("pk")
        .values_list("scim_id", flat=True)
    ]


def group_resource(link: ScimGroup, *, with_members: bool = True) -> Group:
    """`with_members=False` when the provider asked for none (Entra ID reads groups with
    `excludedAttributes=members`): a large group's members are then not read at all."""
    members = _members_of(link.group) if with_members else []
    return Group(
        id=str(link.scim_id),
        external_id=link.external_id or None,
        display_name=link.group.name,
        members=members or None,
        meta=Meta(
            resource_type="Group",
            created=link.created_at,
            last_modified=link.updated_at,
            location=group_location(link),
        ),
    )


def _name(resource: Group) -> str:
    name = str(resource.display_name or "").strip()
    if not name:
        raise InvalidValueException(detail="displayName is required.")
    if len(name) > NAME_MAX:
        raise InvalidValueException(detail=f"displayName is longer than {NAME_MAX} characters.")
    return name


def _members(resource: Group) -> list[Person]:
    """The people the members name; an unknown or non-person member refuses the request."""
    wanted: list[uuid.UUID] = []
    for member in resource.members or []:
        if member.type and member.type != "User":
            raise InvalidValueException(detail="Members of a group are users, not groups.")
        try:
            wanted.append(uuid.UUID(str(member.value)))
        except ValueError:
            raise InvalidValueException(detail=f"No user has the id {member.value}.") from None
    found = {
        link.scim_id: link.person
        for link in ScimUser.objects.filter(scim_id__in=wanted).select_related("person")
    }
    missing = [str(w) for w in wanted if w not in found]
    if missing:
        raise InvalidValueException(detail=f"No user has the id {', '.join(missing)}.")
    return list(found.values())


def _set_members(group: PortevoixGroup, people: list[Person]) -> None:
    """Only provisioned memberships change: people added by hand are left alone."""
    provisioned = set(group.members.filter(scim__isnull=False).values_list("pk", flat=True))
    wanted = {p.pk for p in people}
    group.members.remove(*(provisioned - wanted))
    group.members.add(*(wanted - provisioned))


def _take(name: str, link: ScimGroup) -> PortevoixGroup | None:
    """The unlinked group of this name, if one exists; refuses a name another link holds."""
    existing = PortevoixGroup.objects.filter(name__iexact=name).exclude(pk=link.group_id).first()
    if existing is None:
        return None
    if ScimGroup.objects.filter(group=existing).exists():
        raise UniquenessException(detail=f"The group {name} is already provisioned.")
    return existing


@transaction.atomic
def scim_group_create(*, resource: Group, token: ScimToken) -> ScimGroup:
    name = _name(resource)
    people = _members(resource)
    link = ScimGroup(external_id=str(resource.external_id or "")[:254])
    existing = _take(name, link)
    try:
        if existing is None:
            link.group = group_create(name=name)
        else:
            link.group = existing
            if existing.name != name:  # the provider's spelling wins
                group_rename(group=existing, name=name)
    except ValidationError:
        raise InvalidValueException(detail="displayName is one line of text.") from None
    link.save()
    _set_members(link.group, people)
    audit_record(actor=None, action="scim_group_created", target=name, via=token.name)
    return link


@transaction.atomic
def scim_group_replace(*, link: ScimGroup, resource: Group, token: ScimToken) -> ScimGroup:
    link = ScimGroup.objects.select_for_update().select_related("group").get(pk=link.pk)
    name = _name(resource)
    people = _members(resource)
    if name != link.group.name:
        if _take(name, link) is not None:
            raise UniquenessException(detail=f"Another group is named {name}.")
        try:
            group_rename(group=link.group, name=name)
        except ValidationError:
            raise InvalidValueException(detail="displayName is one line of text.") from None
    link.external_id = str(resource.external_id or "")[:254]
    link.updated_at = timezone.now()
    link.save()
    _set_members(link.group, people)
    return link


def scim_group_patch(*, link: ScimGroup, body: Any, token: ScimToken) -> ScimGroup:
    """As for users: the operations applied to the group as it is, stored as a replacement."""
    with transaction.atomic():
        link = ScimGroup.objects.select_for_update().select_related("group").get(pk=link.pk)
        resource = group_resource(link)
        patch = PatchOp[Group].model_validate(
            group_patch_body(body), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        patch.patch(resource)
        return scim_group_replace(link=link, resource=resource, token=token)


@transaction.atomic
def scim_group_delete(*, link: ScimGroup, token: ScimToken) -> None:
    _set_members(link.group, [])
    audit_record(actor=None, action="scim_group_unlinked", target=link.group.name, via=token.name)
    link.delete()
