"""SCIM's part of a person's data: the link the identity provider keeps to them (deleted with
the person, by cascade) and the tokens they created (kept for the organisation, without them)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.scim.models import ScimToken, ScimUser


def export_person(person: Person) -> dict:
    link = ScimUser.objects.filter(person=person).first()
    provisioned = None
    if link is not None:
        provisioned = {
            "id": str(link.scim_id),
            "user_name": link.user_name,
            "external_id": link.external_id,
            "display_name": link.display_name,
            "given_name": link.given_name,
            "family_name": link.family_name,
            "email_type": link.email_type,
            "active": link.active,
            "created_at": link.created_at.isoformat(),
            "updated_at": link.updated_at.isoformat(),
        }
    return {
        "provisioned_by_identity_provider": provisioned,
        "scim_tokens_created": [
            {"name": t.name, "created_at": t.created_at.isoformat()}
            for t in ScimToken.objects.filter(created_by=person).order_by("created_at", "id")
        ],
    }
