from portevoix.accounts.models import Person
from portevoix.gamification.models import BadgeAward, PointEntry


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
    }
