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
