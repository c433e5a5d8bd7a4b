"""Point rules are versioned by gamification/rules.py: only what changes gets a new rule."""

from datetime import timedelta

from django.utils import timezone

from portevoix.core.models import AuditEntry
from portevoix.gamification.models import Action, PointRule
from portevoix.gamification.rules import point_rules_set

POINTS = {action.value: 5 for action in Action}


def test_the_first_rules_are_all_new_and_audited(carol):
    changed = point_rules_set(actor=carol, points=POINTS, daily_cap_per_link=4, now=timezone.now())
    assert len(changed) == len(Action)
    assert PointRule.objects.get(action=Action.VERIFIED_CLICK).daily_cap_per_link == 4
    assert AuditEntry.objects.get().action == "point_rules_changed"


def test_saving_the_same_rules_adds_nothing(carol):
    now = timezone.now()
    point_rules_set(actor=carol, points=POINTS, daily_cap_per_link=4, now=now)
    later = now + timedelta(minutes=1)
    assert point_rules_set(actor=carol, points=POINTS, daily_cap_per_link=4, now=later) == []
    assert PointRule.objects.count() == len(Action)
    assert AuditEntry.objects.count() == 1


def test_a_new_cap_alone_versions_the_verified_click_rule(carol):
    now = timezone.now()
    point_rules_set(actor=carol, points=POINTS, daily_cap_per_link=4, now=now)
    later = now + timedelta(minutes=1)
    changed = point_rules_set(actor=carol, points=POINTS, daily_cap_per_link=9, now=later)
    assert changed == ["verified_click=5"]
