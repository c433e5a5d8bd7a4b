"""Points for activity other capabilities announce."""

from django.dispatch import receiver

from portevoix.academy.models import Lesson
from portevoix.academy.services import lesson_completed
from portevoix.content.models import Suggestion, SuggestionStatus
from portevoix.content.signals import suggestion_decided
from portevoix.gamification import tasks
from portevoix.gamification.badges import badges_check
from portevoix.gamification.models import Action
from portevoix.gamification.points import points_award
from portevoix.sharing.models import Share
from portevoix.sharing.signals import share_confirmed
from portevoix.tracking.models import Conversion
from portevoix.tracking.rollups import ClassifiedClick
from portevoix.tracking.signals import conversion_recorded, verified_clicks_ingested


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


@receiver(share_confirmed, sender=Share, dispatch_uid="gamification_confirmed_share_points")
def confirmed_share_points(sender, share: Share, **kwargs) -> None:
    """The same fact as the first verified click on the share's link (activity.py): the same
    source, so the share earns its points once, whichever comes first."""
    if share.person is None or share.tracked_link_id is None:
        return
    points_award(
        person=share.person,
        action=Action.SHARE,
        source=f"link:{share.tracked_link_id}",
        at=share.created_at,
    )
    badges_check(person=share.person)


# Scoring runs as its own task: ingestion stays as fast as it can be, and a failure here is
# retried without touching the clicks already counted.
@receiver(
    verified_clicks_ingested, sender=ClassifiedClick, dispatch_uid="gamification_click_points"
)
def click_points(sender, clicks, **kwargs) -> None:
    tasks.score_verified_clicks(list(clicks))


@receiver(conversion_recorded, sender=Conversion, dispatch_uid="gamification_conversion_points")
def conversion_points(sender, conversion, **kwargs) -> None:
    tasks.score_conversion(conversion.pk)
