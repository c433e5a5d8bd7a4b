"""Voluntary participation: opting in and out, and whether a person may share now."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.charter import has_accepted_current_charter
from portevoix.accounts.models import Person
from portevoix.accounts.signals import ambassador_opted_in, ambassador_opted_out


def ambassador_opt_in(*, person: Person) -> None:
    person.opted_in_at = timezone.now()
    person.opted_out_at = None
    person.save(update_fields=["opted_in_at", "opted_out_at"])
    transaction.on_commit(lambda: ambassador_opted_in.send(sender=Person, person=person))


def ambassador_opt_out(*, person: Person) -> None:
    """Effective at once: no new share, no new tracking. Past data stays, in aggregate."""
    person.opted_in_at = None
    person.opted_out_at = timezone.now()
    person.save(update_fields=["opted_in_at", "opted_out_at"])
    transaction.on_commit(lambda: ambassador_opted_out.send(sender=Person, person=person))


def sharing_block_reason(person: Person) -> str | None:
    """Why this person cannot share right now, in words for them; None when they can."""
    if not person.is_active:
        return _("Your account is deactivated.")
    if person.opted_in_at is None:
        return _("Sharing is voluntary: join the ambassador programme from your profile first.")
    if not has_accepted_current_charter(person):
        return _("Please read and accept the current charter before sharing.")
    return None
