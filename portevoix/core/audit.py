"""The audit log of admin actions (PRODUCT.md, Trust)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.core.models import AuditEntry


def audit_record(
    *, actor: Person | None, action: str, target: object = "", **details: object
) -> None:
    AuditEntry.objects.create(
        actor=actor,
        actor_name=str(actor) if actor else "system",
        action=action,
        target=str(target)[:200],
        target_person=target if isinstance(target, Person) else None,
        details={k: str(v) for k, v in details.items()},
    )
