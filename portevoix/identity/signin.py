"""Who a signed-in identity is: a linked person, a person linked by verified e-mail, or a new
person created just in time. Single sign-on never opts anyone in nor accepts the charter."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Group, Person
from portevoix.core.audit import audit_record
from portevoix.identity.claims import SignedInIdentity
from portevoix.identity.errors import SsoError
from portevoix.identity.models import GroupRule, IdentityProvider, SsoLink
from portevoix.identity.providers import email_domain

MAX_NAME = 150


def _mapped_groups(provider: IdentityProvider, values: list[str]) -> tuple[set[Group], set[Group]]:
    """(groups the rules give this person, every group the provider's rules govern)."""
    rules = list(GroupRule.objects.filter(provider=provider).select_related("group"))
    wanted = {v.strip().casefold() for v in values}
    governed = {rule.group for rule in rules}
    return {rule.group for rule in rules if rule.value.strip().casefold() in wanted}, governed


def _groups_apply(provider: IdentityProvider, person: Person, values: list[str]) -> None:
    """The rules decide the groups they govern (a mover changes group at the next sign-in);
    groups set by hand that no rule names stay as they are."""
    given, governed = _mapped_groups(provider, values)
    person.groups.remove(*(governed - given))
    person.groups.add(*given)


def _person_for(provider: IdentityProvider, identity: SignedInIdentity) -> Person:
    link = SsoLink.objects.filter(provider=provider, subject=identity.subject).first()
    if link is not None:
        return link.person
    if not identity.email or email_domain(identity.email) not in provider.domain_list():
        raise SsoError(
            _("Your e-mail address is not one of the domains this provider signs in for.")
        )
    if not (identity.email_verified or provider.directory_owns_domains):
        # An unverified e-mail could be anybody's: it never opens an existing account.
        raise SsoError(
            _(
                "Your identity provider does not say your e-mail address is verified: ask your IT department."
            )
        )
    person = Person.objects.filter(email=identity.email).first()
    if person is None:
        person = Person.objects.create_user(
            email=identity.email,
            password=None,
            full_name=(identity.full_name or identity.email.partition("@")[0])[:MAX_NAME],
            role=provider.default_role,
            activated_at=timezone.now(),
        )
        audit_record(actor=None, action="sso_person_created", target=person, provider=provider)
    else:
        audit_record(actor=None, action="sso_person_linked", target=person, provider=provider)
    SsoLink.objects.create(person=person, provider=provider, subject=identity.subject)
    return person


def sso_person_sign_in(*, provider: IdentityProvider, identity: SignedInIdentity) -> Person:
    """The person this identity signs in as (created or linked if needed), groups mapped."""
    try:
        return _sign_in(provider, identity)
    except IntegrityError:
        # The same first sign-in twice at once: the other one created the person or the link.
        return _sign_in(provider, identity)


def _sign_in(provider: IdentityProvider, identity: SignedInIdentity) -> Person:
    with transaction.atomic():
        person = _person_for(provider, identity)
        if not person.is_active or person.deactivated_at is not None:
            raise SsoError(_("Your account is deactivated: ask an administrator."))
        if person.activated_at is None:
            person.activated_at = timezone.now()
            person.save(update_fields=["activated_at"])
        if provider.group_claim:  # without a claim named, the rules have nothing to read
            _groups_apply(provider, person, identity.group_values)
        SsoLink.objects.filter(provider=provider, subject=identity.subject).update(
            last_login_at=timezone.now()
        )
    return person
