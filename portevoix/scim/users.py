"""SCIM Users are people: created, replaced, patched, deactivated and erased through the
accounts services, so that provisioning follows the same rules as an admin.

- Provisioning never opts anyone in, and sends an invitation only when the admin's setting says
  so. A person already on the platform with the same e-mail is linked, not duplicated.
- `active: false` applies the leaver rule (ProvisioningSettings): deactivation (signed out, no
  more sharing, history kept) or the alumni role. Only a change of `active` acts: an admin's own
  deactivation is not undone because the provider keeps saying `active: true`.
- DELETE erases the person by the erasure rules of accounts/privacy.py.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from scim2_models import (
    Context,
    Email,
    EnterpriseUser,
    GroupMembership,
    InvalidValueException,
    Meta,
    Name,
    PatchOp,
    SCIMException,
    UniquenessException,
    User,
)

from portevoix.accounts.access import is_last_admin
from portevoix.accounts.invitations import invitation_create, invitation_send
from portevoix.accounts.models import Person, Role
from portevoix.accounts.people import person_create, person_deactivate, person_reactivate
from portevoix.accounts.privacy import person_erase
from portevoix.accounts.sessions import person_sessions_end
from portevoix.accounts.validators import has_control_characters
from portevoix.core.audit import audit_record
from portevoix.scim.models import LeaverRule, ProvisioningSettings, ScimToken, ScimUser
from portevoix.scim.provider_forms import user_patch_body
from portevoix.scim.schemas import base_url

# Requests are read with the enterprise extension too (Entra ID sends it by default); what it
# holds is not kept.
ProvisionedUser = User[EnterpriseUser]

NAME_MAX = cast(models.CharField, Person._meta.get_field("full_name")).max_length or 150


class LastAdminException(SCIMException):
    """Without an active admin nobody could manage the platform any more."""

    status = 409
    scim_type = ""
    _default_detail = "The last active administrator cannot leave or be erased."


class ProtectedAccountException(SCIMException):
    """An editor's, an admin's or a data-protection officer's address and account are theirs to
    keep: a provisioning token that could change them could send their password reset elsewhere
    (and take the account, with its power over the others: the pilot team's roles, the
    officer's data exports and erasures of everyone), or erase them."""

    status = 409
    scim_type = "mutability"
    _default_detail = (
        "An editor's, an administrator's or a data-protection officer's e-mail address is "
        "changed, and their account erased, by an administrator in Portevoix, not by "
        "provisioning."
    )


def _is_protected(person: Person) -> bool:
    return person.is_pilot or person.data_protection_officer


def user_location(link: ScimUser) -> str:
    return f"{base_url()}/Users/{link.scim_id}"


def user_resource(link: ScimUser) -> User:
    person = link.person
    name = None
    if link.given_name or link.family_name:
        name = Name(given_name=link.given_name or None, family_name=link.family_name or None)
    groups = [
        GroupMembership.model_validate(
            {
                "value": str(group.scim.scim_id),
                "$ref": f"{base_url()}/Groups/{group.scim.scim_id}",
                "display": group.name,
            }
        )
        for group in person.groups.filter(scim__isnull=False).select_related("scim")
    ]
    return ProvisionedUser(
        id=str(link.scim_id),
        external_id=link.external_id or None,
        user_name=link.user_name,
        name=name,
        display_name=link.display_name or None,
        active=link.active,
        emails=[
            Email.model_validate(
                {
                    "value": person.email,
                    "type": link.email_type or None,
                    "primary": link.email_primary,
                }
            )
        ],
        groups=groups or None,
        meta=Meta(
            resource_type="User",
            created=link.created_at,
            last_modified=link.updated_at,
            location=user_location(link),
        ),
    )


def _chosen_email(resource: User) -> tuple[str, str, bool | None]:
    """(address, type): the primary e-mail, else the work one, else the first, else a userName
    that is an address. Other addresses are not kept: the platform needs one."""
    emails = [e for e in resource.emails or [] if e.value]
    chosen = (
        next((e for e in emails if e.primary), None)
        or next((e for e in emails if (e.type or "").lower() == "work"), None)
        or (emails[0] if emails else None)
    )
    address = str(chosen.value) if chosen else resource.user_name or ""
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidValueException(
            detail="A person needs an e-mail address: give emails, or a userName that is one."
        ) from None
    return (
        address,
        str(chosen.type) if chosen and chosen.type else "",
        chosen.primary if chosen else None,
    )


def _text(value: object, field: str, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise InvalidValueException(detail=f"{field} is longer than {limit} characters.")
    return text


def _full_name(link: ScimUser) -> str:
    name = link.display_name or " ".join(p for p in (link.given_name, link.family_name) if p)
    return (name or link.user_name)[:NAME_MAX]


def _read(resource: User, link: ScimUser) -> str:
    """Copy the attributes Portevoix keeps onto the link; returns the chosen e-mail."""
    user_name = _text(resource.user_name, "userName", 254)
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    link.user_name = user_name
    link.external_id = _text(resource.external_id, "externalId", 254)
    link.display_name = _text(resource.display_name, "displayName", NAME_MAX)
    name = resource.name
    link.given_name = _text(name.given_name if name else "", "name.givenName", 150)
    link.family_name = _text(name.family_name if name else "", "name.familyName", 150)
    email, link.email_type, link.email_primary = _chosen_email(resource)
    link.email_type = link.email_type[:40]
    for value in (link.user_name, link.display_name, link.given_name, link.family_name):
        if has_control_characters(value):
            raise InvalidValueException(
                detail="Names are one line of text, without control characters."
            )
    return email


def _check_user_name_free(link: ScimUser) -> None:
    taken = ScimUser.objects.filter(user_name__iexact=link.user_name).exclude(pk=link.pk)
    if taken.exists():
        raise UniquenessException(detail=f"userName {link.user_name} is already provisioned.")


def _apply_active(link: ScimUser, active: bool | None, was: bool | None, token: ScimToken) -> None:
    """Act on a change of `active` only (None, never said, counts as active)."""
    person = link.person
    leaving = active is False and was is not False
    returning = active is not False and was is False
    if leaving:
        if is_last_admin(person):
            raise LastAdminException()
        if ProvisioningSettings.current().leaver_rule == LeaverRule.ALUMNI:
            person.role = Role.ALUMNI
            person.save(update_fields=["role"])
            person_sessions_end(person=person)
            audit_record(actor=None, action="scim_person_alumni", target=person, via=token.name)
        else:
            person_deactivate(person=person)
            audit_record(
                actor=None, action="scim_person_deactivated", target=person, via=token.name
            )
    elif returning:
        if not person.is_active:
            person_reactivate(person=person)
        if person.role == Role.ALUMNI:
            # Back as an employee: a pilot role is given again by an admin, on purpose.
            person.role = Role.AMBASSADOR
            person.save(update_fields=["role"])
        audit_record(actor=None, action="scim_person_reactivated", target=person, via=token.name)


def _save(link: ScimUser, email: str) -> None:
    person = link.person
    changed = []
    if person.email != email:
        if _is_protected(person):
            raise ProtectedAccountException()
        if Person.objects.filter(email=email).exclude(pk=person.pk).exists():
            raise UniquenessException(detail=f"Another person has the e-mail {email}.")
        person.email = email
        changed.append("email")
    full_name = _full_name(link)
    if person.full_name != full_name:
        person.full_name = full_name
        changed.append("full_name")
    if changed:
        person.save(update_fields=changed)
    link.updated_at = timezone.now()
    link.save()


@transaction.atomic
def scim_user_create(*, resource: User, token: ScimToken) -> ScimUser:
    link = ScimUser()
    email = _read(resource, link)
    _check_user_name_free(link)
    existing = Person.objects.select_for_update().filter(email=email).first()
    if existing is not None and ScimUser.objects.filter(person=existing).exists():
        raise UniquenessException(
            detail=f"The person with the e-mail {email} is already provisioned."
        )
    if existing is not None:
        # Someone invited or imported before provisioning started: the same person.
        link.person = existing
        link.person.full_name = _full_name(link)
        link.person.save(update_fields=["full_name"])
        audit_record(actor=None, action="scim_person_linked", target=existing, via=token.name)
    else:
        link.person = _newcomer(email=email, full_name=_full_name(link))
        audit_record(actor=None, action="scim_person_created", target=link.person, via=token.name)
    link.active = None
    link.save()
    _apply_active(link, resource.active, None, token)
    link.active = resource.active
    link.save(update_fields=["active"])
    return link


def _newcomer(*, email: str, full_name: str) -> Person:
    if not ProvisioningSettings.current().invite_newcomers:
        return person_create(email=email, full_name=full_name)
    invitation, plain = invitation_create(email=email, full_name=full_name)
    # The e-mail leaves once the person surely exists.
    transaction.on_commit(lambda: invitation_send(invitation=invitation, token=plain))
    assert invitation.person is not None  # invitation_create always makes the person
    return invitation.person


@transaction.atomic
def scim_user_replace(*, link: ScimUser, resource: User, token: ScimToken) -> ScimUser:
    link = ScimUser.objects.select_for_update().select_related("person").get(pk=link.pk)
    was = link.active
    email = _read(resource, link)
    _check_user_name_free(link)
    _save(link, email)
    _apply_active(link, resource.active, was, token)
    link.active = resource.active
    link.save(update_fields=["active"])
    return link


def scim_user_patch(*, link: ScimUser, body: Any, token: ScimToken) -> ScimUser:
    """Apply the operations to the resource as it is, then store the result as a replacement:
    one set of rules for PUT and PATCH. Raises SCIMException (nothing is stored) on a bad
    operation, path or value."""
    with transaction.atomic():
        link = ScimUser.objects.select_for_update().select_related("person").get(pk=link.pk)
        resource = user_resource(link)
        patch = PatchOp[ProvisionedUser].model_validate(
            user_patch_body(body), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        patch.patch(resource)
        return scim_user_replace(link=link, resource=resource, token=token)


def scim_user_delete(*, link: ScimUser, token: ScimToken) -> None:
    person = link.person
    if is_last_admin(person):
        raise LastAdminException()
    if _is_protected(person):
        raise ProtectedAccountException()
    audit_record(actor=None, action="scim_person_erased", target=person, via=token.name)
    person_erase(person=person)
