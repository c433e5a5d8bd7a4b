"""Points for activity other capabilities announce."""

from django.dispatch import receiver

from portevoix.academy.models import Lesson
from portevoix.academy.services import lesson_completed
from portevoix.content.models import Suggestion, SuggestionStatus
from portevoix.content.signals import suggestion_decided
from portevoix.gamification.badges import badges_check
from portevoix.gamification.models import Action
from portevoix.gamification.points import points_award


@receiver(lesson_completed, sender=Lesson, dispatch_uid="gamification_lesson_points")
def lesson_points(sender, person, lesson, attempt, **kwargs) -> None:
    points_award(
        person=person, action=Action.LESSON_COMPLETED, source=f"lesson:{lesson.pk}", at=attempt.at
    )
    badges_check(person=person)


@receiver(suggestion_decided, sender=Suggestion, dispatch_uid="gamification_suggestion_points")
def suggestion_points(sender, suggestion, **kwargs) -> None:
    if suggestion.status != SuggestionStatus.ACCEPTED or suggestion.author is None:
        return
    points_award(
        person=suggestion.author,
        action=Action.SUGGESTION_ACCEPTED,
        source=f"suggestion:{suggestion.pk}",
        at=suggestion.decided_at,
    )
    badges_check(person=suggestion.author)
