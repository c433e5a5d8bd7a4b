"""The audit log of admin actions (PRODUCT.md, Trust)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from portevoix.core.models import AuditEntry

if TYPE_CHECKING:
    # A name for the type checker only: core sits below accounts and reaches the person model
    # through AUTH_USER_MODEL (docs/architecture.md).
    from portevoix.accounts.models import Person


def audit_record(
    *, actor: Person | None, action: str, target: object = "", **details: object
) -> None:
    AuditEntry.objects.create(
        actor=actor,
        actor_name=str(actor) if actor else "system",
        action=action,
        target=str(target)[:200],
        target_person=target if isinstance(target, get_user_model()) else None,
        details={k: str(v) for k, v in details.items()},
    )
