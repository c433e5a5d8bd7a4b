"""Signing out at the provider too: what a SAML sign-in keeps for it, and where log-out goes."""

from __future__ import annotations

from django.http import HttpRequest

from portevoix.identity.errors import SsoError
from portevoix.identity.models import IdentityProvider, ProviderKind
from portevoix.identity.saml import saml_logout_url

LOGOUT_SESSION_KEY = "identity_logout"


def sso_logout_url(request: HttpRequest) -> str | None:
    """Registered with accounts' log-out: where the browser goes once the local session ends,
    so that the IdP ends its own (SAML single logout), or None."""
    handle = request.session.get(LOGOUT_SESSION_KEY)
    if not isinstance(handle, dict):
        return None
    provider = IdentityProvider.objects.filter(
        slug=handle.get("provider", ""), kind=ProviderKind.SAML, enabled=True
    ).first()
    if provider is None:
        return None
    try:
        return saml_logout_url(provider=provider, handle=handle)
    except SsoError:
        return None
