from portevoix.academy.models import LessonAttempt
from portevoix.accounts.models import Person


def export_person(person: Person) -> dict:
    return {
        "lesson_attempts": [
            {"lesson": a.lesson.title, "score": a.score, "passed": a.passed, "at": a.at.isoformat()}
            for a in LessonAttempt.objects.filter(person=person).select_related("lesson")
        ]
    }
