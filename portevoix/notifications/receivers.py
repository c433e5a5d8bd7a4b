"""Notifications listen to the capabilities they announce; those never import notifications."""

from django.dispatch import receiver

from portevoix.accounts.models import Person
from portevoix.accounts.signals import person_leaving
from portevoix.connections.models import Connection
from portevoix.connections.signals import connection_expiring, connection_needs_reconnect
from portevoix.content.models import Post, Suggestion
from portevoix.content.signals import post_published, suggestion_decided
from portevoix.gamification.models import Challenge
from portevoix.gamification.signals import challenge_closed, challenge_started
from portevoix.notifications.connections import expiring_announce, reconnect_announce
from portevoix.notifications.leavers import brand_export_offer
from portevoix.notifications.tasks import announcements as announcement_tasks


@receiver(post_published, sender=Post, dispatch_uid="notifications_post_published")
def on_post_published(sender, post, **kwargs) -> None:
    announcement_tasks.announce_post(post.pk)


@receiver(suggestion_decided, sender=Suggestion, dispatch_uid="notifications_suggestion_decided")
def on_suggestion_decided(sender, suggestion, **kwargs) -> None:
    announcement_tasks.announce_suggestion_decision(suggestion.pk)


@receiver(challenge_started, sender=Challenge, dispatch_uid="notifications_challenge_started")
def on_challenge_started(sender, challenge, **kwargs) -> None:
    announcement_tasks.announce_challenge_start(challenge.pk)


@receiver(challenge_closed, sender=Challenge, dispatch_uid="notifications_challenge_closed")
def on_challenge_closed(sender, challenge, **kwargs) -> None:
    announcement_tasks.announce_challenge_results(challenge.pk)


@receiver(connection_needs_reconnect, sender=Connection, dispatch_uid="notifications_reconnect")
def on_connection_needs_reconnect(sender, connection, **kwargs) -> None:
    reconnect_announce(connection=connection)


@receiver(connection_expiring, sender=Connection, dispatch_uid="notifications_expiring")
def on_connection_expiring(sender, connection, expires_at, **kwargs) -> None:
    expiring_announce(connection=connection, expires_at=expires_at)


@receiver(person_leaving, sender=Person, dispatch_uid="notifications_person_leaving")
def on_person_leaving(sender, person, **kwargs) -> None:
    brand_export_offer(person=person)
