"""GDPR: every person can download their data and erase their account.

Each app that keeps personal data has a `privacy.py` with `export_person(person) -> dict` (and,
where deleting the Person by cascade is not enough, `erase_person(person) -> None`, called
before the deletion). This module gathers them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps
from django.db import transaction

from portevoix.accounts.models import Person, Role


class ErasureError(Exception):
    pass


def _privacy_modules() -> Iterator[tuple[str, ModuleType]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("portevoix.") or config.label == "accounts":
            continue
        try:
            yield config.label, importlib.import_module(f"{config.name}.privacy")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.privacy":
                raise


def export_person(person: Person) -> dict:
    """This app's part: the account, profile, groups, networks and charter acceptances."""
    return {
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "groups": [g.name for g in person.groups.all()],
        "date_joined": person.date_joined.isoformat(),
        "activated_at": person.activated_at.isoformat() if person.activated_at else None,
        "opted_in_at": person.opted_in_at.isoformat() if person.opted_in_at else None,
        "opted_out_at": person.opted_out_at.isoformat() if person.opted_out_at else None,
        "language": person.language,
        "time_zone": person.time_zone,
        "topics": [t.name for t in person.topics.all()],
        "hide_from_rankings": person.hide_from_rankings,
        "digest_frequency": person.digest_frequency,
        "mastodon_instance": person.mastodon_instance,
        "networks": {a.network: a.followers for a in person.network_accounts.all()},
        "charter_acceptances": [
            {"version": a.version.number, "accepted_at": a.accepted_at.isoformat()}
            for a in person.charter_acceptances.select_related("version")
        ],
    }


def person_export(*, person: Person) -> dict:
    data = {"account": export_person(person)}
    for label, module in _privacy_modules():
        if hasattr(module, "export_person"):
            data[label] = module.export_person(person)
    return data


def person_erase(*, person: Person) -> None:
    """Delete the person and what is theirs; figures not tied to a person stay."""
    if (
        person.role == Role.ADMIN
        and not Person.objects.filter(role=Role.ADMIN, is_active=True)
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ErasureError("last admin")
    with transaction.atomic():
        for _label, module in _privacy_modules():
            if hasattr(module, "erase_person"):
                module.erase_person(person)
        person.delete()
