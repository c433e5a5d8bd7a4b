"""Secrets at rest: what the platform must read back is encrypted, what it only checks is hashed.

- `secret_seal` / `secret_unseal`: for secrets the platform must use again (an identity
  provider's client secret, a webhook's signing secret, a network's access token). Fernet
  (AES-128-CBC + HMAC-SHA256, from `cryptography`) under the keys of `SECRETS_KEYS`: the first
  key seals, every key unseals, so a key is rotated by putting a new one first, re-sealing
  (`manage.py secrets_rotate` where an app offers it) and then dropping the old one. Without
  `SECRETS_KEYS` the key is derived from SECRET_KEY (HKDF), so `make run` needs no setting;
  a production installation sets its own, so that the database and SECRET_KEY are not enough.
  Each use names its `purpose`, mixed into the derived key: a value sealed for one purpose
  cannot be unsealed as another.
- `token_new` / `token_digest`: for bearer tokens the platform only compares (API tokens, SCIM
  tokens). Shown once, stored as SHA-256: they are long random strings, so a fast hash is
  enough (no password-style stretching), and an index on the digest finds the token in one
  query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

TOKEN_BYTES = 32


class SecretUnreadable(Exception):
    """Sealed with a key no longer configured, for another purpose, or altered."""


def _derived(material: bytes, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"portevoix:{purpose}".encode()
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def _keys(purpose: str) -> MultiFernet:
    configured: list[str] = list(getattr(settings, "SECRETS_KEYS", []) or [])
    materials = [k.encode() for k in configured] or [settings.SECRET_KEY.encode()]
    return MultiFernet([_derived(material, purpose) for material in materials])


def secret_seal(plain: str, *, purpose: str) -> bytes:
    return _keys(purpose).encrypt(plain.encode())


def secret_unseal(sealed: bytes | memoryview, *, purpose: str) -> str:
    try:
        return _keys(purpose).decrypt(bytes(sealed)).decode()
    except InvalidToken as error:
        raise SecretUnreadable(purpose) from error


def secret_reseal(sealed: bytes | memoryview, *, purpose: str) -> bytes:
    """The same secret under the first key (after a rotation)."""
    try:
        return _keys(purpose).rotate(bytes(sealed))
    except InvalidToken as error:
        raise SecretUnreadable(purpose) from error


def token_digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def token_new(prefix: str) -> tuple[str, str]:
    """(the token to show once, its digest to store). The prefix says what a token is for
    when one turns up in a log or a repository (`pvx_api_…`)."""
    plain = f"{prefix}_{secrets.token_urlsafe(TOKEN_BYTES)}"
    return plain, token_digest(plain)


def token_matches(plain: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(plain), digest)
