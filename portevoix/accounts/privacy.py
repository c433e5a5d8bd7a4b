"""GDPR: every person can download their data and erase their account.

Each app that keeps personal data has a `privacy.py` with `export_person(person) -> dict`, and,
where its rows keep a copy of the person's name or e-mail that outlives them,
`erase_person(person) -> None`. This module gathers them: the export calls every
`export_person`; erasure calls every `erase_person` and then deletes the person, in one
transaction, so that rows tied to them go by cascade (or lose them, SET_NULL). docs/running.md
lists what each app keeps and why.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import datetime
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from portevoix.accounts.access import is_last_admin
from portevoix.accounts.models import CharterVersion, Invitation, Person, TwoFactorPolicy
from portevoix.accounts.sessions import person_sessions_end
from portevoix.accounts.two_factor import two_factor_export


class ErasureError(Exception):
    pass


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


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
    """This app's part: the account, profile and preferences, groups, networks, the charter and
    invitations. Invitations to the person go with them (cascade); those they sent stay for
    the people invited, without them (SET_NULL)."""
    return {
        "email": person.email,
        "full_name": person.full_name,
        "role": person.role,
        "groups": [g.name for g in person.groups.all()],
        "is_active": person.is_active,
        "date_joined": person.date_joined.isoformat(),
        "last_login": _iso(person.last_login),
        "data_protection_officer": person.data_protection_officer,
        # The groups an editor or admin works for (empty: the whole organisation).
        "scope_groups": [g.name for g in person.scope_groups.order_by("name")],
        "activated_at": _iso(person.activated_at),
        "deactivated_at": _iso(person.deactivated_at),
        "opted_in_at": _iso(person.opted_in_at),
        "opted_out_at": _iso(person.opted_out_at),
        "language": person.language,
        "time_zone": person.time_zone,
        "hide_from_rankings": person.hide_from_rankings,
        "digest_frequency": person.digest_frequency,
        "notification_preferences": {
            field.name: getattr(person, field.name)
            for field in Person._meta.concrete_fields
            if field.name.startswith("notify_")
        },
        "mastodon_instance": person.mastodon_instance,
        "networks": {a.network: a.followers for a in person.network_accounts.all()},
        # Whether it is on, never the secret nor the recovery codes (erasure deletes them).
        "two_factor": two_factor_export(person),
        "two_factor_policy_updated_at": [
            p.updated_at.isoformat() for p in TwoFactorPolicy.objects.filter(updated_by=person)
        ],
        "charter_acceptances": [
            {"version": a.version.number, "accepted_at": a.accepted_at.isoformat()}
            for a in person.charter_acceptances.select_related("version")
        ],
        "charter_versions_published": [
            {"version": v.number, "published_at": v.published_at.isoformat()}
            for v in CharterVersion.objects.filter(published_by=person)
        ],
        "invitations_received": [
            {
                "email": i.email,
                "full_name": i.full_name,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
                "used_at": _iso(i.used_at),
            }
            for i in person.invitations.order_by("created_at", "id")
        ],
        # Who was invited is the invitee's data, not the inviter's: only the facts are theirs.
        "invitations_sent": [
            {"role": i.role, "created_at": i.created_at.isoformat(), "accepted": bool(i.used_at)}
            for i in Invitation.objects.filter(invited_by=person).order_by("created_at", "id")
        ],
    }


def person_export(*, person: Person) -> dict:
    data = {"account": export_person(person)}
    for label, module in _privacy_modules():
        if hasattr(module, "export_person"):
            data[label] = module.export_person(person)
    return data


def person_export_file(*, person: Person) -> tuple[bytes, str]:
    """The download: the export as JSON, and its file name. The same for the person themself
    and for a data-protection officer acting on their request."""
    data = json.dumps(person_export(person=person), ensure_ascii=False, indent=2, default=str)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return data.encode(), f"portevoix-my-data-{stamp}.json"


ERASED_LAST = ("gamification", "core")


def person_erase(*, person: Person) -> None:
    """Delete the person and what is theirs; figures not tied to a person stay."""
    if is_last_admin(person):
        raise ErasureError("last admin")
    # The audit log's part goes last: another app's erasure may record an entry about the
    # person (connections records the disconnection it makes), reduced then with the others.
    # Gamification's just before: notifications reads the names their challenge results
    # showed, which gamification's part blanks.
    modules = sorted(
        _privacy_modules(),
        key=lambda found: ERASED_LAST.index(found[0]) if found[0] in ERASED_LAST else -1,
    )
    with transaction.atomic():
        for _label, module in modules:
            if hasattr(module, "erase_person"):
                module.erase_person(person)
        person_sessions_end(person=person)
        person.delete()
