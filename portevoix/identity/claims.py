"""What a provider says about the person, whatever the protocol."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SignedInIdentity:
    subject: str
    email: str
    email_verified: bool
    full_name: str = ""
    group_values: list[str] = field(default_factory=list)
    # What the provider needs to end this session later (SAML single logout), if anything.
    logout_handle: dict[str, str] = field(default_factory=dict)


def claim_values(claims: dict, name: str) -> list[str]:
    """A claim or attribute as a list of strings: one value, several, or none."""
    if not name:
        return []
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None]
    return [str(value)]
