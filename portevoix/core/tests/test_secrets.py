"""Secrets read back are sealed under SECRETS_KEYS (or SECRET_KEY), bound to their purpose, and
survive a key rotation; tokens are stored as digests and compared in constant time."""

from __future__ import annotations

import pytest

from portevoix.core.secrets import (
    SecretUnreadable,
    secret_reseal,
    secret_seal,
    secret_unseal,
    token_digest,
    token_matches,
    token_new,
)


def test_a_sealed_secret_reads_back_and_does_not_show_in_the_stored_bytes():
    sealed = secret_seal("client-secret-42", purpose="oidc")
    assert b"client-secret-42" not in sealed
    assert secret_unseal(sealed, purpose="oidc") == "client-secret-42"


def test_a_secret_sealed_for_one_purpose_cannot_be_read_as_another():
    sealed = secret_seal("whsec", purpose="webhook")
    with pytest.raises(SecretUnreadable):
        secret_unseal(sealed, purpose="oidc")


def test_an_altered_secret_is_refused():
    sealed = bytearray(secret_seal("whsec", purpose="webhook"))
    sealed[-5] ^= 1
    with pytest.raises(SecretUnreadable):
        secret_unseal(bytes(sealed), purpose="webhook")


def test_rotation_keeps_old_secrets_readable_then_reseals_them_under_the_new_key(settings):
    settings.SECRETS_KEYS = ["old-key-0123456789"]
    sealed = secret_seal("token", purpose="network")
    settings.SECRETS_KEYS = ["new-key-9876543210", "old-key-0123456789"]
    assert secret_unseal(sealed, purpose="network") == "token"
    resealed = secret_reseal(sealed, purpose="network")
    settings.SECRETS_KEYS = ["new-key-9876543210"]
    assert secret_unseal(resealed, purpose="network") == "token"
    with pytest.raises(SecretUnreadable):
        secret_unseal(sealed, purpose="network")


def test_without_secrets_keys_the_key_follows_secret_key(settings):
    settings.SECRETS_KEYS = []
    sealed = secret_seal("token", purpose="network")
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789"
    with pytest.raises(SecretUnreadable):
        secret_unseal(sealed, purpose="network")


def test_a_new_token_is_shown_once_and_only_its_digest_matches():
    plain, digest = token_new("pvx_api")
    assert plain.startswith("pvx_api_") and len(plain) > 40
    assert digest == token_digest(plain) and plain not in digest
    assert token_matches(plain, digest)
    assert not token_matches(plain + "x", digest)
    assert token_new("pvx_api")[0] != plain
