"""Managing people: deactivation keeps their history; roles change only through here."""

from __future__ import annotations

from django.utils import timezone

from portevoix.accounts.models import Person


def person_deactivate(*, person: Person) -> None:
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])


def person_reactivate(*, person: Person) -> None:
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
