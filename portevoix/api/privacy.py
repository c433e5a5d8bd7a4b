"""A person's API tokens: exported (names, scopes and dates, never the digest), deleted with
them by cascade: a token must not outlive the person it acts as."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.api.models import ApiToken


def export_person(person: Person) -> dict:
    return {
        "api_tokens": [
            {
                "name": token.name,
                "kind": token.kind,
                "scope": token.scope,
                "created_at": token.created_at.isoformat(),
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(person=person)
        ]
    }
