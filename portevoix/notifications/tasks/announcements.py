"""Announcements run as worker tasks: the change that caused them has committed, and a failure
here never undoes it. Thin wrappers that read the object again and call the announcement."""

from huey.contrib.djhuey import db_task

from portevoix.content.models import Post, Suggestion
from portevoix.gamification.models import Challenge
from portevoix.notifications.announcements import (
    post_published_announce,
    suggestion_decided_announce,
)
from portevoix.notifications.challenge_announcements import (
    challenge_closed_announce,
    challenge_started_announce,
)


@db_task()
def announce_post(post_id: int) -> None:
    post = Post.objects.filter(pk=post_id).first()
    if post is not None:
        post_published_announce(post=post)


@db_task()
def announce_suggestion_decision(suggestion_id: int) -> None:
    suggestion = Suggestion.objects.select_related("author").filter(pk=suggestion_id).first()
    if suggestion is not None:
        suggestion_decided_announce(suggestion=suggestion)


@db_task()
def announce_challenge_start(challenge_id: int) -> None:
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is not None:
        challenge_started_announce(challenge=challenge)


@db_task()
def announce_challenge_results(challenge_id: int) -> None:
    challenge = Challenge.objects.filter(pk=challenge_id, closed_at__isnull=False).first()
    if challenge is not None:
        challenge_closed_announce(challenge=challenge)
