"""Managing people: deactivation keeps their history; roles change only through here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portevoix.accounts.models import Invitation, Person


def person_deactivate(*, person: Person) -> None:
    """Deactivate someone and cancel their pending invitations.

    A pending invitation would otherwise be a way back in: accepting it sets a password. The
    person's row is locked so that an acceptance running at the same moment waits for us and
    then sees the deactivation (invitation_accept locks the same row).
    """
    now = timezone.now()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).update(
            is_active=False, deactivated_at=now
        )
        Invitation.objects.filter(
            person_id=person.pk, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
    person.is_active = False
    person.deactivated_at = now


def person_reactivate(*, person: Person) -> None:
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
