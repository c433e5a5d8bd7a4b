"""Bearer tokens for identity providers: shown once, kept as a digest, revocable."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.core.audit import audit_record
from portevoix.core.secrets import token_digest, token_new
from portevoix.scim.models import ScimToken

TOKEN_PREFIX = "pvx_scim"
MAX_TOKEN_LENGTH = 200
# A provider calls many times a minute: the last use is written at most once a minute.
LAST_USE_PRECISION = timedelta(minutes=1)


def scim_token_create(*, name: str, created_by: Person) -> tuple[ScimToken, str]:
    """The new token and its value, to show once: only the digest is stored."""
    plain, digest = token_new(TOKEN_PREFIX)
    token = ScimToken.objects.create(
        name=name, prefix=plain[: len(TOKEN_PREFIX) + 5], digest=digest, created_by=created_by
    )
    audit_record(actor=created_by, action="scim_token_created", target=token.name)
    return token, plain


def scim_token_revoke(*, token: ScimToken, revoked_by: Person) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=revoked_by, action="scim_token_revoked", target=token.name)


def scim_token_for_bearer(plain: str) -> ScimToken | None:
    """The live token this value is, if any; its last use is noted."""
    if not plain or len(plain) > MAX_TOKEN_LENGTH:
        return None
    token = ScimToken.objects.filter(digest=token_digest(plain), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
