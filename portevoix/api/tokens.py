"""Creating, finding and revoking API tokens. A token is shown once; only its digest is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.api.models import ApiToken, Scope, TokenKind
from portevoix.core.secrets import token_digest, token_new

TOKEN_PREFIX = "pvx_api"
HINT_LENGTH = len(TOKEN_PREFIX) + 5
# Writing the last use on every call would make each read a write: a minute is precise enough
# for "last used" in the list.
LAST_USE_STEP = timedelta(minutes=1)


def api_token_create(
    *,
    person: Person,
    name: str,
    scope: str,
    expires_at: datetime | None,
    kind: str = TokenKind.PERSONAL,
) -> tuple[ApiToken, str]:
    """(the token, its plain value to show once)."""
    plain, digest = token_new(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        scope=Scope(scope),
        kind=TokenKind(kind),
        expires_at=expires_at,
        digest=digest,
        hint=plain[:HINT_LENGTH],
    )
    return token, plain


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_find(*, plain: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token of an active person for this plain value, its last use noted."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("person").filter(digest=token_digest(plain)).first()
        if plain.startswith(TOKEN_PREFIX + "_")
        else None
    )
    if token is None or not token.is_usable(now) or not token.person.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USE_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
