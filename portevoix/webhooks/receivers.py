"""Webhooks listen to the capabilities below them; none of those imports webhooks. Every signal
here is sent after its change has committed, so an event never announces something undone."""

from __future__ import annotations

from django.dispatch import receiver

from portevoix.accounts.models import Person
from portevoix.accounts.signals import ambassador_opted_in, ambassador_opted_out
from portevoix.content.models import Post
from portevoix.content.signals import post_published
from portevoix.gamification.models import Challenge
from portevoix.gamification.signals import challenge_closed
from portevoix.sharing.models import Share
from portevoix.sharing.signals import share_created
from portevoix.tracking.models import Conversion
from portevoix.tracking.rollups import ClassifiedClick
from portevoix.tracking.signals import conversion_recorded, verified_clicks_ingested
from portevoix.veille.models import Alert
from portevoix.veille.signals import alert_raised
from portevoix.webhooks import payloads
from portevoix.webhooks.events import EventType
from portevoix.webhooks.outbox import event_record


@receiver(post_published, sender=Post, dispatch_uid="webhooks_post_published")
def on_post_published(sender, post: Post, **kwargs) -> None:
    event_record(type=EventType.POST_PUBLISHED, build=lambda: payloads.post_published_data(post))


@receiver(share_created, sender=Share, dispatch_uid="webhooks_share_created")
def on_share_created(sender, share: Share, **kwargs) -> None:
    event_record(type=EventType.SHARE_CREATED, build=lambda: payloads.share_created_data(share))


@receiver(verified_clicks_ingested, sender=ClassifiedClick, dispatch_uid="webhooks_clicks")
def on_verified_clicks(sender, clicks: list[tuple], **kwargs) -> None:
    # One event for the whole ingestion batch: never one call per click.
    event_record(type=EventType.CLICK_VERIFIED, build=lambda: payloads.verified_clicks_data(clicks))


@receiver(conversion_recorded, sender=Conversion, dispatch_uid="webhooks_conversion")
def on_conversion(sender, conversion: Conversion, **kwargs) -> None:
    event_record(
        type=EventType.CONVERSION_CREATED, build=lambda: payloads.conversion_data(conversion)
    )


@receiver(ambassador_opted_in, sender=Person, dispatch_uid="webhooks_opted_in")
def on_opted_in(sender, person: Person, **kwargs) -> None:
    build = lambda: payloads.person_participation_data(person, joined=True)  # noqa: E731
    event_record(type=EventType.PERSON_OPTED_IN, build=build)


@receiver(ambassador_opted_out, sender=Person, dispatch_uid="webhooks_opted_out")
def on_opted_out(sender, person: Person, **kwargs) -> None:
    build = lambda: payloads.person_participation_data(person, joined=False)  # noqa: E731
    event_record(type=EventType.PERSON_OPTED_OUT, build=build)


@receiver(challenge_closed, sender=Challenge, dispatch_uid="webhooks_challenge_closed")
def on_challenge_closed(sender, challenge: Challenge, **kwargs) -> None:
    event_record(
        type=EventType.CHALLENGE_CLOSED, build=lambda: payloads.challenge_closed_data(challenge)
    )


@receiver(alert_raised, sender=Alert, dispatch_uid="webhooks_alert_raised")
def on_alert_raised(sender, alert: Alert, **kwargs) -> None:
    event_record(type=EventType.ALERT_RAISED, build=lambda: payloads.alert_raised_data(alert))
