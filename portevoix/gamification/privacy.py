"""A person's points, badges and challenge results.

Points and badges go with the person (cascade). Frozen challenge results stay, because the
other participants' ranks must not change, but the erased person's line loses their name: the
challenge page shows "Former participant" instead. Rules and challenges they set up stay,
without them (SET_NULL).
"""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.gamification.models import (
    BadgeAward,
    Challenge,
    ChallengeResult,
    PointEntry,
    PointRule,
)


def export_person(person: Person) -> dict:
    return {
        "points": [
            {
                "action": e.action,
                "points": e.points,
                "source": e.source,
                "at": e.occurred_at.isoformat(),
            }
            for e in PointEntry.objects.filter(person=person)
        ],
        "badges": [
            {"badge": b.badge, "at": b.awarded_at.isoformat()}
            for b in BadgeAward.objects.filter(person=person)
        ],
        "challenge_results": [
            {
                "challenge": r.challenge.title,
                "ended_at": r.challenge.ends_at.isoformat(),
                "name_shown": r.name,
                "rank": r.rank,
                "value": r.value,
                "winner": r.winner,
            }
            for r in ChallengeResult.objects.filter(person=person)
            .select_related("challenge")
            .order_by("challenge__ends_at", "challenge_id")
        ],
        "challenges_created": [
            {"title": c.title, "starts_at": c.starts_at.isoformat()}
            for c in Challenge.objects.filter(created_by=person).order_by("starts_at", "id")
        ],
        "point_rules_created": [
            {"action": r.action, "points": r.points, "valid_from": r.valid_from.isoformat()}
            for r in PointRule.objects.filter(created_by=person).order_by("valid_from", "id")
        ],
    }


def erase_person(person: Person) -> None:
    ChallengeResult.objects.filter(person=person).update(person=None, name="")
