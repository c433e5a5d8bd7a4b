"""Invitations: a single-use link, valid INVITATION_DAYS days, that lets a person set a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portevoix.accounts.models import Group, Invitation, Person, Role
from portevoix.accounts.validators import validate_single_line
from portevoix.core.audit import audit_record


class InvitationError(Exception):
    pass


def _hash(token: str) -> str:
    # Only the hash is stored: a database leak does not hand out working invitation links.
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])


def invitation_create(
    *,
    email: str,
    full_name: str,
    role: str = Role.AMBASSADOR,
    groups: list[Group] | tuple[Group, ...] = (),
    invited_by: Person | None = None,
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Create (or refresh) the person and a new invitation; earlier invitations stop working.

    A deactivated person is not invited: an admin reactivates them first, on purpose. A name
    with control characters raises ValidationError (forms and the import check it first).
    """
    email = email.strip().lower()
    validate_single_line(full_name)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        person, created = Person.objects.get_or_create(
            email=email,
            defaults={
                "full_name": full_name,
                "role": role,
                "language": language or settings.LANGUAGE_CODE,
            },
        )
        if not created and _is_deactivated(person):
            raise InvitationError("deactivated person")
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
            person.groups.set(groups)
        Invitation.objects.filter(person=person, used_at__isnull=True).update(
            expires_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            role=role,
            token_hash=_hash(token),
            invited_by=invited_by,
            person=person,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        invitation.groups.set(groups)
    return invitation, token


def invitation_send(*, invitation: Invitation, token: str) -> None:
    person = invitation.person
    with translation.override(person.language if person else settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "url": invitation_url(token),
            "organisation": settings.ORGANISATION_NAME,
            "days": settings.INVITATION_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def _is_deactivated(person: Person | None) -> bool:
    return person is None or not person.is_active or person.deactivated_at is not None


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a token if it can still be used, else None.

    An invitation of a deactivated person never works, whichever happened first.
    """
    if not token or len(token) > 100:
        return None
    invitation = Invitation.objects.select_related("person").filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_usable or _is_deactivated(invitation.person):
        return None
    return invitation


def invitation_accept(*, token: str, password: str) -> Person:
    """Set the password and activate the person; the link cannot be used again."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        if invitation is None:
            raise InvitationError("unusable invitation")
        # Conditional update: of two concurrent submissions only one wins.
        won = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not won:
            raise InvitationError("invitation already used")
        # Locked and read again: a deactivation committed since invitation_for_token wins
        # (person_deactivate locks the same row), and the link stays unused.
        assert invitation.person_id is not None  # invitation_for_token: only a person's
        person = Person.objects.select_for_update().get(pk=invitation.person_id)
        if _is_deactivated(person):
            raise InvitationError("deactivated person")
        person.set_password(password)
        person.activated_at = person.activated_at or timezone.now()
        person.save(update_fields=["password", "activated_at"])
    return person


def invitation_issue(
    *, email: str, full_name: str, role: str, groups: list[Group], invited_by: Person
) -> Invitation:
    """An admin's invitation (the People page and the API): made, e-mailed, audited."""
    with transaction.atomic():
        invitation, token = invitation_create(
            email=email, full_name=full_name, role=role, groups=groups, invited_by=invited_by
        )
    invitation_send(invitation=invitation, token=token)
    audit_record(
        actor=invited_by, action="person_invited", target=invitation.email, role=invitation.role
    )
    return invitation
