"""The installation's VAPID key pair, made once on first need.

The private key never leaves the server and is never logged: it is sealed like every secret
the platform reads back (core/secrets.py: under SECRETS_KEYS, with their rotation, or a key
derived from SECRET_KEY), so a copy of the database alone cannot sign push messages. If the
keys change so that the stored key can no longer be read, a new pair is made, and the devices
subscribed with the old public key are forgotten (push services would refuse our messages to
them); each person turns notifications on again on their devices."""

from __future__ import annotations

import base64
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from py_vapid import Vapid02

from portevoix.core.secrets import SecretUnreadable, secret_seal, secret_unseal
from portevoix.notifications.push.models import PushKeys, PushSubscription

logger = logging.getLogger("portevoix.notifications")

_PURPOSE = "notifications.push.vapid"
# The JWT's `sub` only tells push services whom to contact: an intranet sender address without
# a dot (py-vapid's strict check refuses it) must not stop every push.
_SIGNER_CONF = {"no-strict": True}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _seal(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    raw = private_key.private_numbers().private_value.to_bytes(32, "big")
    return secret_seal(b64url(raw), purpose=_PURPOSE)


def _unseal(sealed: bytes) -> ec.EllipticCurvePrivateKey:
    raw = b64url_decode(secret_unseal(sealed, purpose=_PURPOSE))
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def _public_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def _new_pair() -> tuple[ec.EllipticCurvePrivateKey, dict[str, object]]:
    private_key = ec.generate_private_key(ec.SECP256R1())
    fields: dict[str, object] = {
        "public_key": _public_key_text(private_key),
        "private_key_encrypted": _seal(private_key),
    }
    return private_key, fields


def vapid_signer() -> Vapid02:
    """The VAPID signer, made (and stored) the first time it is needed."""
    keys = PushKeys.objects.filter(pk=1).first()
    if keys is None:
        private_key, fields = _new_pair()
        # Two workers may race to make the pair: the row with pk=1 decides, the loser reads it.
        keys, created = PushKeys.objects.get_or_create(pk=1, defaults=fields)
        if created:
            return Vapid02(private_key, conf=_SIGNER_CONF)
    try:
        return Vapid02(_unseal(keys.private_key_encrypted), conf=_SIGNER_CONF)
    except (SecretUnreadable, ValueError):
        return Vapid02(_replace_unreadable_keys(), conf=_SIGNER_CONF)


def _replace_unreadable_keys() -> ec.EllipticCurvePrivateKey:
    logger.warning(
        "The stored VAPID key cannot be read with these keys (SECRETS_KEYS or SECRET_KEY): a new "
        "key pair is made and "
        "devices subscribed with the old one are forgotten."
    )
    private_key, fields = _new_pair()
    with transaction.atomic():
        PushKeys.objects.filter(pk=1).update(**fields)
        PushSubscription.objects.all().delete()
    return private_key


def vapid_public_key() -> str:
    """The application server key a browser subscribes with (base64url, 65 bytes)."""
    return _public_key_text(vapid_signer().private_key)
