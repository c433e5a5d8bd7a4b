"""The audit log's part of a person's data.

The log must keep saying what happened, so erasure keeps the entries and reduces the copies of
the person's name and e-mail in them (as the one who acted, or the one acted upon, and in
the details of those entries) to their e-mail domain. The export lists what the person did and what was done to their account,
without the names of the other people involved.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from portevoix.core.audit import audit_erase_names
from portevoix.core.models import AuditEntry

if TYPE_CHECKING:
    # A name for the type checker only: core sits below accounts (docs/architecture.md).
    from portevoix.accounts.models import Person


# The fields of a person whose values, in a change made to them, name them.
PERSON_FIELDS = ("full_name", "email")


def _about(person: Person) -> Q:
    # Invitations are recorded with the invited e-mail as text, not the person.
    return Q(target_person=person) | Q(target__iexact=person.email)


def export_person(person: Person) -> dict:
    return {
        "audit_actions_by_me": [
            {"at": e.at.isoformat(), "action": e.action}
            for e in AuditEntry.objects.filter(actor=person).order_by("at", "id")
        ],
        "audit_actions_about_me": [
            {"at": e.at.isoformat(), "action": e.action, "details": e.details}
            for e in AuditEntry.objects.filter(_about(person)).order_by("at", "id")
        ],
    }


def erase_person(person: Person) -> None:
    domain = person.email.rsplit("@", 1)[-1]
    # Their name and e-mail in the details too (a `person_changed` keeps the name before and
    # after): reduced to the domain like the names.
    words = [person.email, person.full_name]
    audit_erase_names(
        AuditEntry.objects.filter(actor=person),
        words=words,
        replacement=domain,
        actor=None,
        actor_name=domain,
    )
    # Entries older than `target_person` that name a person whom another shares a name with
    # were left unlinked: erasing either of them reduces the name.
    about = _about(person)
    if person.full_name:
        about |= Q(target_person__isnull=True, target=person.full_name)
    # The names and e-mails they had before (a change made to them keeps both), read before
    # those entries are reduced: an entry written then names them by the old one.
    earlier = _earlier_values(AuditEntry.objects.filter(about))
    audit_erase_names(
        AuditEntry.objects.filter(about),
        words=words,
        # What was changed of them: their earlier names and e-mails too.
        fields=PERSON_FIELDS,
        replacement=domain,
        target_person=None,
        target=domain,
    )
    # Entries about something else that name them in passing: the followers of a deleted
    # topic, the break-glass admin named on an identity provider (a snapshot names a person
    # by their name). Only a text that is their name or e-mail whole goes: a short name is in
    # many other texts.
    words += sorted(earlier - set(words))
    mentioning = AuditEntry.objects.filter(_mentioning(words)).exclude(actor=person).exclude(about)
    audit_erase_names(
        # By id: once reduced, the details no longer match the sieve.
        AuditEntry.objects.filter(pk__in=list(mentioning.values_list("pk", flat=True))),
        words=words,
        replacement=domain,
        whole=True,
    )


def _earlier_values(entries: QuerySet[AuditEntry]) -> set[str]:
    """Every text a change recorded in these entries gave or took from a person's name or
    e-mail (`changes`: field → [before, after])."""
    found: set[str] = set()
    for details in entries.values_list("details", flat=True):
        changes = details.get("changes") if isinstance(details, dict) else None
        if not isinstance(changes, dict):
            continue
        for field in PERSON_FIELDS:
            values = changes.get(field)
            if isinstance(values, list):
                found.update(v for v in values if isinstance(v, str) and v)
    return found


def _mentioning(words: list[str]) -> Q:
    """Entries whose details hold one of `words` (a first sieve in the database; the words are
    matched exactly in Python). SQLite keeps the details' JSON with non-ASCII letters escaped,
    PostgreSQL as they are: both spellings are looked for."""
    found = Q(pk__in=[])
    for word in words:
        if len(word) >= 3:
            found |= Q(details__icontains=word) | Q(details__icontains=json.dumps(word)[1:-1])
    return found
