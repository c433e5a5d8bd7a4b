"""Managing people: deactivation keeps their history; roles change only through here."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Invitation, Person, Role
from portevoix.accounts.sessions import person_sessions_end
from portevoix.accounts.signals import person_leaving


def person_deactivate(*, person: Person) -> None:
    """Deactivate someone, sign them out everywhere and cancel their pending invitations.

    A pending invitation would otherwise be a way back in: accepting it sets a password. The
    person's row is locked so that an acceptance running at the same moment waits for us and
    then sees the deactivation (invitation_accept locks the same row).

    Before anything changes, `person_leaving` lets the platform offer the person their
    personal-brand file (notifications sends the link while they are still active).
    """
    if person.is_active:
        person_leaving.send(sender=Person, person=person)
    now = timezone.now()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).update(
            is_active=False, deactivated_at=now
        )
        Invitation.objects.filter(
            person_id=person.pk, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        person_sessions_end(person=person)
    person.is_active = False
    person.deactivated_at = now


def person_create(
    *, email: str, full_name: str, role: str = Role.AMBASSADOR, language: str | None = None
) -> Person:
    """A person who has not set a password yet (an invitation or single sign-on lets them in)
    and has not opted in: nobody takes part in the programme unless they join themselves."""
    person = Person(email=email.strip().lower(), full_name=full_name, role=role)
    if language:
        person.language = language
    person.set_unusable_password()
    person.save()
    return person


def person_reactivate(*, person: Person) -> None:
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])


def admin_create(*, email: str, full_name: str, password: str) -> Person:
    """An active administrator, ready to log in (the first one of an installation).

    Raises ValidationError, with every problem found, and creates nobody then.
    """
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    problems: list[str] = []
    try:
        validate_email(email)
    except ValidationError:
        problems.append(_("Enter a valid e-mail address."))
    else:
        if Person.objects.filter(email=email).exists():
            problems.append(_("%(email)s already has an account.") % {"email": email})
    if not full_name:
        problems.append(_("The name is missing."))
    else:
        for field in ("email", "full_name"):
            value = email if field == "email" else full_name
            try:
                cast(models.Field, Person._meta.get_field(field)).run_validators(value)
            except ValidationError as error:
                problems.extend(error.messages)
    person = Person(email=email, full_name=full_name, role=Role.ADMIN)
    if not password:
        problems.append(_("The password is missing."))
    else:
        try:
            validate_password(password, user=person)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    person.set_password(password)
    person.activated_at = timezone.now()
    person.save()
    return person
