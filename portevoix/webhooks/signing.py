"""Standard Webhooks signatures (https://www.standardwebhooks.com, spec v1).

A secret is `whsec_` + base64 of random bytes; the HMAC key is those bytes. Each delivery
carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`: one or more
`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, separated by spaces — several while a rotated
secret is still honoured, any one of which the receiver accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the specification asks for 24 to 64


def signing_secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    *, secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    signatures = [
        signature(secret=s, message_id=message_id, timestamp=timestamp, body=body)
        for s in secrets_in_use
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
