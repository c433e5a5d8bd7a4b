"""The log-in page's e-mail-first step (registered with accounts/login_routes.py at start-up)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portevoix.identity.models import IdentityProvider
from portevoix.identity.providers import is_break_glass, provider_for_email


def sso_route(request: HttpRequest, email: str, password: str) -> HttpResponse | None:
    """An e-mail of an SSO domain without a password goes to its provider; a password for a
    domain where SSO is mandatory is refused (only the break-glass admin keeps theirs)."""
    provider = provider_for_email(email)
    if provider is None:
        return None
    next_url = request.POST.get("next", "")
    if not password:
        query = urlencode({"login_hint": email.strip().lower(), "next": next_url})
        return redirect(reverse("identity:start", args=[provider.slug]) + "?" + query)
    refusal = sso_password_refusal(email)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(reverse("accounts:login") + ("?" + urlencode({"next": next_url})))
    return None


def sso_password_refusal(email: str) -> str | None:
    """Why passwords are refused for this e-mail (its domain's SSO is mandatory), or None."""
    provider = provider_for_email(email)
    if provider is None or not provider.sso_required or is_break_glass(provider, email):
        return None
    return _(
        "%(provider)s signs you in for this address: passwords are not accepted. "
        "Leave the password empty and continue."
    ) % {"provider": provider.name}


def sso_hint() -> str | None:
    if not IdentityProvider.objects.filter(enabled=True).exists():
        return None
    return _(
        "Your company signs you in? Type your work e-mail and leave the password empty: "
        "you will continue on your company's sign-in page."
    )
