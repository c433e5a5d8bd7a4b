"""A person's devices: subscribing one (the browser's PushSubscription JSON) and stopping it."""

from __future__ import annotations

import binascii
import re

from cryptography.hazmat.primitives.asymmetric import ec
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.notifications.push.keys import b64url_decode
from portevoix.notifications.push.models import PushSubscription

ENDPOINT_MAX_LENGTH = 1000
# Enough for every browser a person uses; past it the oldest device is forgotten, so a script
# cannot make one notice fan out to thousands of deliveries.
DEVICES_PER_PERSON = 20
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class PushSubscriptionRefused(Exception):
    """The subscription sent by the browser cannot be used; the message says why."""


def _key_bytes(value: object, *, length: int, name: str) -> bytes:
    if not isinstance(value, str) or not _BASE64URL.match(value):
        raise PushSubscriptionRefused(_("The device key %(name)s is missing.") % {"name": name})
    try:
        decoded = b64url_decode(value.rstrip("="))
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != length:
        raise PushSubscriptionRefused(_("The device key %(name)s is invalid.") % {"name": name})
    return decoded


def _checked(subscription: object) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) of a PushSubscription JSON, or PushSubscriptionRefused."""
    if not isinstance(subscription, dict) or not isinstance(subscription.get("keys"), dict):
        raise PushSubscriptionRefused(_("This is not a push subscription."))
    endpoint = subscription.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise PushSubscriptionRefused(_("The subscription has no endpoint."))
    if len(endpoint) > ENDPOINT_MAX_LENGTH:
        raise PushSubscriptionRefused(_("The subscription's endpoint is too long."))
    try:
        # Messages are posted to this URL by the server: the same guard as webhooks' (https,
        # public addresses only), so a subscription cannot aim the worker at the inside network.
        endpoint = check_fetchable_url(endpoint, https_only=True)
    except FetchError as error:
        raise PushSubscriptionRefused(str(error)) from None
    keys = subscription["keys"]
    p256dh = _key_bytes(keys.get("p256dh"), length=65, name="p256dh")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        raise PushSubscriptionRefused(
            _("The device key %(name)s is invalid.") % {"name": "p256dh"}
        ) from None
    _key_bytes(keys.get("auth"), length=16, name="auth")
    return endpoint, keys["p256dh"].rstrip("="), keys["auth"].rstrip("=")


def push_subscription_save(
    *, person: Person, subscription: object, device_label: str = ""
) -> PushSubscription:
    """Stores (or takes over) a device. An endpoint belongs to one browser profile: when another
    person signs in there and turns notifications on, the device becomes theirs."""
    endpoint, p256dh, auth = _checked(subscription)
    saved, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "person": person,
            "p256dh": p256dh,
            "auth": auth,
            "device_label": device_label[:100],
        },
    )
    beyond = PushSubscription.objects.filter(person=person).order_by("-created_at", "-id")
    stale = list(beyond.values_list("pk", flat=True)[DEVICES_PER_PERSON:])
    if stale:
        PushSubscription.objects.filter(pk__in=stale).delete()
    return saved


def push_subscription_delete(
    *, person: Person, endpoint: str | None = None, subscription_id: int | None = None
) -> bool:
    """Stops one of the person's own devices; someone else's is never touched."""
    devices = PushSubscription.objects.filter(person=person)
    if endpoint is not None:
        devices = devices.filter(endpoint=endpoint)
    elif subscription_id is not None:
        devices = devices.filter(pk=subscription_id)
    else:
        return False
    return devices.delete()[0] > 0


def push_subscriptions_for(person: Person) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(person=person)


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome")]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_label_from(user_agent: str) -> str:
    """'Firefox on Android': enough for a person to tell their devices apart."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    if not browser and "Safari/" in user_agent:
        browser = "Safari"
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
