"""Sending a notification to a person's devices, from the worker.

The message is encrypted for each device (RFC 8291, aes128gcm, by pywebpush), signed with the
installation's VAPID key (RFC 8292, by py-vapid) and posted to the device's push service
(RFC 8030) through core/fetch.py, so the same guard as webhooks' applies at delivery (https,
public addresses, a pinned connection). A 404 or 410 means the device is gone: it is removed.
A time-out, a 429 or a 5xx raises PushRetry for the task to try again."""

from __future__ import annotations

import json
import logging
import time
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.templatetags.static import static
from django.utils import timezone
from pywebpush import WebPusher

from portevoix.accounts.models import Person
from portevoix.core.fetch import FetchError, FetchRefused, fetch
from portevoix.notifications.emails import PREFERENCE_FIELDS
from portevoix.notifications.models import Kind, Notification
from portevoix.notifications.push.keys import vapid_signer
from portevoix.notifications.push.models import PushSubscription

logger = logging.getLogger("portevoix.notifications")

PUSH_TIMEOUT = 10.0  # seconds
# A notice older than a day is stale: the push service may drop it rather than deliver late.
TIME_TO_LIVE = 24 * 3600
GONE_STATUSES = {404, 410}
SENT_STATUSES = {200, 201, 202}
# Push services must accept 4096 bytes of encrypted message (RFC 8030 §7.2), that is 3993 of
# JSON after the aes128gcm header and tag (RFC 8291 §4): a long body is cut to fit.
PAYLOAD_MAX_BYTES = 3900


class PushRetry(Exception):
    """The push service may accept this message later (time-out, 429, 5xx)."""


def wants_push(person: Person, kind: str) -> bool:
    """The rule for devices is the e-mail's: the same per-kind preference on the profile."""
    if not person.is_active:
        return False
    field = PREFERENCE_FIELDS.get(kind)
    return True if field is None else bool(getattr(person, field))


def notice_push_queue(*, notification: Notification) -> None:
    """After the transaction commits, the worker sends the notice to the person's devices."""
    person = notification.person
    if not wants_push(person, notification.kind):
        return
    if not PushSubscription.objects.filter(person=person).exists():
        return
    from portevoix.notifications.push.tasks import notice_push_task

    transaction.on_commit(lambda: notice_push_task(notification.pk))


def push_payload(*, notification: Notification) -> bytes:
    """What the service worker (static/portevoix/push-sw.js) shows."""
    url = notification.url or "/notifications/"
    if url.startswith("/"):
        url = settings.SITE_URL + url
    message = {
        "title": notification.title,
        "body": notification.body,
        "url": url,
        "icon": settings.SITE_URL + static("portevoix/icon.svg"),
        "tag": f"portevoix-{notification.pk}",
    }
    encoded = json.dumps(message, ensure_ascii=False).encode()
    overflow = len(encoded) - PAYLOAD_MAX_BYTES
    if overflow > 0:
        # Every byte cut from the body removes at least one byte of JSON; "…" adds three.
        body = notification.body.encode()
        message["body"] = body[: max(0, len(body) - overflow - 3)].decode(errors="ignore") + "…"
        encoded = json.dumps(message, ensure_ascii=False).encode()
    return encoded


def _vapid_headers(endpoint: str) -> dict[str, str]:
    parts = urlsplit(endpoint)
    contact = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        # RFC 8292 §2: at most 24 hours ahead.
        "exp": int(time.time()) + 12 * 3600,
        "sub": f"mailto:{contact}" if "@" in contact else settings.SITE_URL,
    }
    return vapid_signer().sign(claims)


def push_send(*, notification: Notification, subscription: PushSubscription) -> bool:
    """True when the push service took the message, False when it never will (the device is
    removed, or the message refused). Raises PushRetry when trying again may work."""
    pusher = WebPusher(
        {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
    )
    body = pusher.encode(push_payload(notification=notification), "aes128gcm")["body"]
    headers = {
        **_vapid_headers(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TIME_TO_LIVE),
        "Urgency": "high" if notification.kind == Kind.PRIORITY else "normal",
    }
    try:
        answer = fetch(
            subscription.endpoint,
            method="POST",
            body=body,
            headers=headers,
            timeout=PUSH_TIMEOUT,
            max_bytes=4096,
            max_redirects=0,
        )
    except FetchRefused:
        # The endpoint's name now leads to a private address: it can never be posted to.
        _forget(subscription, reason="refused address")
        return False
    except FetchError as error:
        raise PushRetry(str(error)) from None
    if answer.status in SENT_STATUSES:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
        return True
    if answer.status in GONE_STATUSES:
        _forget(subscription, reason=str(answer.status))
        return False
    if answer.status == 429 or answer.status >= 500:
        raise PushRetry(f"push service answered {answer.status}")
    logger.warning(
        "Push message refused (%s) for device %s of person %s",
        answer.status,
        subscription.pk,
        subscription.person_id,
    )
    return False


def _forget(subscription: PushSubscription, *, reason: str) -> None:
    # The endpoint is a capability URL (whoever knows it can post to the device): never logged.
    logger.info(
        "Push device %s of person %s removed (%s)", subscription.pk, subscription.person_id, reason
    )
    PushSubscription.objects.filter(pk=subscription.pk).delete()
