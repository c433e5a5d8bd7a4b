"""A person's single sign-on links (provider and subject) are personal data: exported here,
erased with the person (CASCADE)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.identity.models import IdentityProvider, SsoLink


def export_person(person: Person) -> dict:
    return {
        "sso_links": [
            {
                "provider": link.provider.name,
                "subject": link.subject,
                "created_at": link.created_at.isoformat(),
                "last_login_at": link.last_login_at.isoformat() if link.last_login_at else None,
            }
            for link in SsoLink.objects.filter(person=person).select_related("provider")
        ],
        # Named as the administrator who may still log in with a password when single
        # sign-on is required (erasure leaves the provider without one: SET_NULL).
        "break_glass_admin_of": [
            p.name for p in IdentityProvider.objects.filter(break_glass_admin=person)
        ],
    }
