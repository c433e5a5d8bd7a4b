"""The webhook outbox: an event is stored with one delivery per subscribed endpoint, then the
worker posts it after commit, retries with exponential back-off for a day, logs every attempt,
and disables an endpoint that refuses for good (the Slack/Teams outbox's shape)."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.core.audit import audit_record
from portevoix.core.fetch import FetchError, FetchRefused, fetch
from portevoix.webhooks.endpoints import endpoint_disable, endpoint_secrets
from portevoix.webhooks.events import TEST_EVENT
from portevoix.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from portevoix.webhooks.payloads import payload_body, person_ids
from portevoix.webhooks.signing import signed_headers

log = logging.getLogger(__name__)
RETRY_WINDOW = timedelta(days=1)
# The receiver took it (Standard Webhooks: any 2xx). 410 Gone: the receiver asks us to stop.
GONE = 410
EXCERPT_CHARS = 500


def event_record(*, type: str, build: Callable[[], dict[str, Any]]) -> WebhookEvent | None:
    """Queue an event for every active endpoint that subscribed to it; None when none did (the
    event is not kept, and its payload not even built). The worker is woken once the
    transaction commits.

    Called from receivers, after the change that caused it has committed: a failure here is
    logged and swallowed, so that a share or an ingestion already done never answers an error
    because an outgoing webhook could not be queued."""
    try:
        return _event_record(type=type, build=build)
    except Exception:
        log.exception("webhook event %s could not be queued", type)
        return None


def _event_record(*, type: str, build: Callable[[], dict[str, Any]]) -> WebhookEvent | None:
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if type in e.events]
    if not endpoints:
        return None
    data = build()
    now = timezone.now()
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            uid=f"msg_{secrets.token_urlsafe(18)}", type=type, data=data, created_at=now
        )
        named = person_ids(data)
        if named:
            event.people.set(Person.objects.filter(pk__in=named))
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(endpoint=e, event=event, retry_until=now + RETRY_WINDOW)
            for e in endpoints
        )
        transaction.on_commit(_wake_worker)
    return event


def _wake_worker() -> None:
    from portevoix.webhooks.tasks import deliver_webhooks_soon

    deliver_webhooks_soon()


def _excerpt(body: bytes) -> str:
    return body[:EXCERPT_CHARS].decode("utf-8", "replace").strip()[:EXCERPT_CHARS]


def delivery_post(
    *, delivery: WebhookDelivery, now: datetime | None = None
) -> tuple[WebhookAttempt, bool]:
    """Sign and post the event to the endpoint once, through the fetch guard (checked again at
    every delivery; a redirect is never followed), and log the attempt. Answers the attempt
    and whether the guard refused the address itself (trying again cannot cure that)."""
    now = now or timezone.now()
    endpoint, event = delivery.endpoint, delivery.event
    body = json.dumps(payload_body(event), ensure_ascii=False, separators=(",", ":")).encode()
    headers = signed_headers(
        secrets_in_use=endpoint_secrets(endpoint=endpoint, now=now),
        message_id=event.uid,
        timestamp=int(now.timestamp()),
        body=body,
    )
    attempt = WebhookAttempt(delivery=delivery, at=now)
    refused = False
    started = time.monotonic()
    try:
        result = fetch(
            endpoint.url,
            method="POST",
            body=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=settings.WEBHOOK_TIMEOUT,
            max_bytes=EXCERPT_CHARS * 4,
        )
    except FetchRefused as error:
        attempt.error = str(error)[:300]
        refused = True
    except FetchError as error:
        attempt.error = str(error)[:300]
    else:
        attempt.status_code = result.status
        attempt.response_excerpt = _excerpt(result.body)
        if 300 <= result.status < 400:
            attempt.error = _(
                "The endpoint answered with a redirection, which is not followed: "
                "enter the address it points to."
            )
        elif not 200 <= result.status < 300:
            attempt.error = (_("The endpoint answered %(status)d.") % {"status": result.status})[
                :300
            ]
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.save()
    return attempt, refused


def delivery_attempt(*, delivery: WebhookDelivery, now: datetime | None = None) -> None:
    """One try and what follows from it: delivered; retried later; given up after a day, or at
    once when the endpoint is gone (410) or its address refused — then the endpoint is disabled
    and the admins told."""
    now = now or timezone.now()
    attempt, refused = delivery_post(delivery=delivery, now=now)
    endpoint = delivery.endpoint
    delivery.attempts += 1
    if not attempt.error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.last_error = ""
        endpoint.last_success_at = now
        endpoint.last_error = ""
        endpoint.save(update_fields=["last_success_at", "last_error"])
        delivery.save(update_fields=["attempts", "status", "last_error"])
        return
    delivery.last_error = attempt.error
    endpoint.last_error = attempt.error
    endpoint.save(update_fields=["last_error"])
    later = now + timedelta(minutes=2 ** (delivery.attempts - 1))
    gone = refused or attempt.status_code == GONE
    if gone or now >= delivery.retry_until:
        delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=["attempts", "status", "last_error"])
        if endpoint.active and delivery.event.type != TEST_EVENT:
            reason = attempt.error
            if not gone:
                reason = _("Failed for a day: %(error)s") % {"error": attempt.error}
            endpoint_disable(endpoint=endpoint, reason=reason)
        return
    delivery.next_attempt_at = min(later, delivery.retry_until)
    delivery.save(update_fields=["attempts", "next_attempt_at", "last_error"])


def deliveries_send_due(*, limit: int = 100) -> int:
    """Deliver what is due; each row is claimed with a conditional update, so two workers never
    post the same delivery at once. Returns how many were delivered."""
    delivered = 0
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(), endpoint__active=True
    ).values_list("pk", "next_attempt_at")[:limit]
    for pk, next_attempt_at in list(due):
        claimed = WebhookDelivery.objects.filter(
            pk=pk, status=DeliveryStatus.PENDING, next_attempt_at=next_attempt_at
        ).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
        if not claimed:
            continue
        delivery = WebhookDelivery.objects.select_related("endpoint", "event").get(pk=pk)
        delivery_attempt(delivery=delivery)
        delivered += delivery.status == DeliveryStatus.DELIVERED
    return delivered


def delivery_resend(*, delivery: WebhookDelivery, actor: Person) -> None:
    """ "Send again" from the log: the same message (same webhook-id, so a receiver that already
    has it can ignore it), queued now with a new day of retries."""
    now = timezone.now()
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.retry_until = now + RETRY_WINDOW
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "retry_until"])
    audit_record(
        actor=actor, action="webhook_sent_again", target=delivery.endpoint, event=delivery.event.uid
    )
    transaction.on_commit(_wake_worker)


def endpoint_test(*, endpoint: WebhookEndpoint) -> WebhookAttempt:
    """Posts a `webhook.test` event at once, outside the schedule, and answers the attempt."""
    now = timezone.now()
    event = WebhookEvent.objects.create(
        uid=f"msg_{secrets.token_urlsafe(18)}",
        type=TEST_EVENT,
        data={"endpoint": {"id": endpoint.pk, "name": endpoint.name}},
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, retry_until=now, attempts=1
    )
    attempt, _refused = delivery_post(delivery=delivery, now=now)
    delivery.status = DeliveryStatus.FAILED if attempt.error else DeliveryStatus.DELIVERED
    delivery.last_error = attempt.error
    delivery.save(update_fields=["status", "last_error"])
    return attempt
