"""Point rules are versioned, never edited: a change adds a rule valid from now on, so points
already earned keep the score they were earned with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction

from portevoix.accounts.models import Person
from portevoix.core.audit import audit_record
from portevoix.gamification.models import Action, PointRule
from portevoix.gamification.points import rule_in_force


@transaction.atomic
def point_rules_set(
    *, actor: Person, points: Mapping[str, int], daily_cap_per_link: int, now: datetime
) -> list[str]:
    """Adds a rule for each action whose points (or, for verified clicks, daily cap per link)
    differ from the rule in force at `now`; records the change in the audit log. Answers the
    changes as `action=points`."""
    changed = []
    for action in Action:
        current = rule_in_force(action=action, at=now)
        action_points = points[action.value]
        cap = daily_cap_per_link if action == Action.VERIFIED_CLICK else None
        if (
            current is None
            or current.points != action_points
            or (cap is not None and current.daily_cap_per_link != cap)
        ):
            PointRule.objects.create(
                action=action,
                points=action_points,
                daily_cap_per_link=cap,
                valid_from=now,
                created_by=actor,
            )
            changed.append(f"{action.value}={action_points}")
    if changed:
        audit_record(actor=actor, action="point_rules_changed", rules=", ".join(changed))
    return changed
