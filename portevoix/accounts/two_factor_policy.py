"""Whether editors and admins must use two-factor log-in, and who still has to set it up."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from portevoix.accounts.models import Person, Role, TwoFactor, TwoFactorPolicy
from portevoix.core.audit import audit_record

PILOT_ROLES = (Role.ADMIN, Role.EDITOR)


def two_factor_policy() -> TwoFactorPolicy:
    policy, _created = TwoFactorPolicy.objects.get_or_create(pk=1)
    return policy


def two_factor_policy_update(*, required_for_pilots: bool, by: Person) -> TwoFactorPolicy:
    policy = two_factor_policy()
    policy.required_for_pilots = required_for_pilots
    policy.updated_by = by
    policy.updated_at = timezone.now()
    policy.save()
    audit_record(
        actor=by,
        action="two_factor_policy_changed",
        required_for_editors_and_admins="yes" if required_for_pilots else "no",
    )
    return policy


def two_factor_required(person: Person) -> bool:
    """Whether the policy obliges this person to keep two-factor log-in on."""
    return (
        person.role in PILOT_ROLES
        and TwoFactorPolicy.objects.filter(pk=1, required_for_pilots=True).exists()
    )


def two_factor_setup_due(person: Person) -> bool:
    """Required of this person and not set up yet. One query, and none for ambassadors: it
    runs on every page a member of the pilot team opens."""
    if person.role not in PILOT_ROLES:
        return False
    confirmed = TwoFactor.objects.filter(person=person, confirmed_at__isnull=False)
    return (
        TwoFactorPolicy.objects.filter(pk=1, required_for_pilots=True)
        .exclude(Exists(confirmed))
        .exists()
    )


def pilots_without_two_factor() -> list[Person]:
    """Editors and admins who would be asked to set it up at their next page."""
    confirmed = TwoFactor.objects.filter(person=OuterRef("pk"), confirmed_at__isnull=False)
    return list(
        Person.objects.filter(role__in=PILOT_ROLES, is_active=True)
        .exclude(Exists(confirmed))
        .order_by("full_name")
    )
