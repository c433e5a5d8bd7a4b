"""Announcing to Slack and Teams channels through an outbox: each message is stored first, then
delivered by the worker, retried with exponential back-off, and a channel whose webhook is
refused for good is disabled and the admins told."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person, Role
from portevoix.core.audit import audit_record
from portevoix.core.forms import one_line
from portevoix.notifications.inapp import notify
from portevoix.notifications.models import Channel, ChannelDelivery, DeliveryStatus, Kind
from portevoix.notifications.transports import TRANSPORTS, DeliveryError, Message

MAX_ATTEMPTS = 8  # 1, 2, 4 … 128 minutes: about four hours of trying


def channel_announce(*, event: str, title: str, text: str, url: str) -> int:
    """Queue a message for every enabled channel that follows `event` ("posts" or "challenges")."""
    channels = Channel.objects.filter(enabled=True, **{f"announce_{event}": True})
    # Titles are built around a challenge's or a post's own title, which may use the column's
    # whole length: cut rather than fail (PostgreSQL refuses a longer value).
    title = one_line(title)[:200]
    deliveries = [ChannelDelivery(channel=c, title=title, text=text, url=url) for c in channels]
    ChannelDelivery.objects.bulk_create(deliveries)
    return len(deliveries)


def delivery_attempt(*, delivery: ChannelDelivery) -> None:
    channel = delivery.channel
    transport = TRANSPORTS[channel.kind](channel.webhook_url)
    with override(settings.LANGUAGE_CODE):
        label = _("Open in Portevoix")
    message = Message(title=delivery.title, text=delivery.text, url=delivery.url, link_label=label)
    delivery.attempts += 1
    try:
        transport.deliver(message)
    except DeliveryError as error:
        delivery.last_error = str(error)[:300]
        channel.last_error = delivery.last_error
        if error.permanent:
            delivery.status = DeliveryStatus.FAILED
            channel_disable(channel=channel, reason=delivery.last_error)
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = timezone.now() + timedelta(
                minutes=2 ** (delivery.attempts - 1)
            )
        channel.save(update_fields=["last_error"])
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.last_error = ""
        channel.last_success_at = timezone.now()
        channel.last_error = ""
        channel.save(update_fields=["last_success_at", "last_error"])
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])


def channel_disable(*, channel: Channel, reason: str) -> None:
    channel.enabled = False
    channel.disabled_reason = reason
    channel.save(update_fields=["enabled", "disabled_reason"])
    ChannelDelivery.objects.filter(channel=channel, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error=reason
    )
    for admin in Person.objects.filter(role=Role.ADMIN, is_active=True):
        with override(admin.language):
            notify(
                person=admin,
                kind=Kind.SYSTEM,
                title=_("The channel “%(name)s” was disabled") % {"name": channel.name},
                body=reason,
                url="/notifications/channels/",
            )


def deliveries_send_due(*, limit: int = 100) -> int:
    """Deliver what is due. Each row is claimed with a conditional update so two workers never
    send the same message."""
    sent = 0
    due = ChannelDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(), channel__enabled=True
    ).values_list("pk", "next_attempt_at")[:limit]
    for pk, next_attempt_at in list(due):
        claimed_until = timezone.now() + timedelta(minutes=5)
        with transaction.atomic():
            claimed = ChannelDelivery.objects.filter(
                pk=pk, status=DeliveryStatus.PENDING, next_attempt_at=next_attempt_at
            ).update(next_attempt_at=claimed_until)
        if not claimed:
            continue
        delivery = ChannelDelivery.objects.select_related("channel").get(pk=pk)
        delivery_attempt(delivery=delivery)
        sent += delivery.status == DeliveryStatus.SENT
    return sent


# --- what an admin does from the channels page -------------------------------------------------


def channel_set_enabled(*, channel: Channel, enabled: bool) -> None:
    """Switched on or off by an admin. Switching on forgets why it was disabled; switching off
    keeps that reason (there is none when the admin chose it)."""
    channel.enabled = enabled
    if enabled:
        channel.disabled_reason = ""
    channel.save(update_fields=["enabled", "disabled_reason"] if enabled else ["enabled"])


def channel_delete(*, channel: Channel, actor: Person) -> None:
    channel.delete()
    audit_record(actor=actor, action="channel_deleted", target=channel)


def channel_test(*, channel: Channel) -> str | None:
    """Sends a test message at once, outside the outbox's schedule; answers why it failed, or
    None when the channel took it."""
    delivery = ChannelDelivery.objects.create(
        channel=channel,
        title=_("Portevoix is connected"),
        text=_("New posts to share will be announced here."),
    )
    delivery_attempt(delivery=delivery)
    return None if delivery.status == DeliveryStatus.SENT else delivery.last_error
