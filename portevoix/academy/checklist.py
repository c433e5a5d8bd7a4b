"""The onboarding checklist on an ambassador's home: each step ticked from real data."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portevoix.academy.models import LessonAttempt
from portevoix.academy.services import ChecklistStep
from portevoix.accounts.charter import has_accepted_current_charter
from portevoix.accounts.models import Person
from portevoix.sharing.models import Share


def onboarding_checklist(person: Person) -> list[ChecklistStep]:
    return [
        ChecklistStep(
            "charter",
            _("Join the programme and accept the charter"),
            person.is_ambassador and has_accepted_current_charter(person),
            reverse("accounts:charter"),
        ),
        ChecklistStep(
            "profile",
            _("Complete your profile: the networks you use"),
            person.network_accounts.exists(),
            reverse("accounts:profile"),
        ),
        ChecklistStep(
            "topics",
            _("Follow the topics that interest you"),
            person.topics.exists(),
            reverse("content:topics_followed"),
        ),
        ChecklistStep(
            "lesson",
            _("Take your first lesson"),
            LessonAttempt.objects.filter(person=person, passed=True).exists(),
            reverse("academy:lessons"),
        ),
        ChecklistStep(
            "share",
            _("Make your first share"),
            Share.objects.filter(person=person).exists(),
            reverse("core:home"),
        ),
    ]
