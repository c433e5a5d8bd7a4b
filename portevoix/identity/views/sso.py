"""Signing in through an identity provider: the start and the provider's answer."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor_login import two_factor_login_begin, two_factor_login_needed
from portevoix.identity.errors import SsoError
from portevoix.identity.flows import Flow, flow_keep, flow_take
from portevoix.identity.logout import LOGOUT_SESSION_KEY
from portevoix.identity.models import IdentityProvider, ProviderKind
from portevoix.identity.oidc import oidc_identity, oidc_request_new
from portevoix.identity.saml import (
    saml_identity,
    saml_in_response_to,
    saml_metadata,
    saml_request_new,
)
from portevoix.identity.signin import sso_person_sign_in

BACKEND = "portevoix.accounts.backends.EmailBackend"


def sso_failed(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "identity/failed.html", {"message": message}, status=400)


def _safe_next(request: HttpRequest, next_url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if next_url and allowed else ""


def sso_signed_in(
    request: HttpRequest, *, person: Person, next_url: str, logout: dict[str, str] | None = None
) -> HttpResponse:
    """Log the person in; someone who has not joined the programme sees the welcome (opt-in,
    then the charter): single sign-on opens the account, never the programme. A person who
    turned on two-factor log-in gives their code here too: signing in through the company's
    provider must not be a way round the second step of an account that has one."""
    if person.opted_in_at is None:
        next_url = reverse("accounts:welcome")
    next_url = next_url or settings.LOGIN_REDIRECT_URL
    if two_factor_login_needed(person):
        two_factor_login_begin(request, person=person, backend=BACKEND, next_url=next_url)
        if logout:  # kept through the session's new key and the later login()
            request.session[LOGOUT_SESSION_KEY] = logout
        return redirect("accounts:two_factor_verify")
    login(request, person, backend=BACKEND)
    if logout:
        request.session[LOGOUT_SESSION_KEY] = logout
    return redirect(next_url)


def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, slug=slug, enabled=True)
    login_hint = request.GET.get("login_hint", "")[:254]
    next_url = _safe_next(request, request.GET.get("next", ""))
    try:
        if provider.kind == ProviderKind.SAML:
            # SAML's request ID plays the part of OIDC's state: the answer must be in response
            # to a request of this browser (InResponseTo), checked by pysaml2.
            saml_out = saml_request_new(provider=provider, relay_state="")
            state, flow = saml_out.request_id, Flow(provider.slug, "", "", next_url, time.time())
            url = saml_out.url
        else:
            oidc_out = oidc_request_new(provider=provider, login_hint=login_hint)
            state, url = oidc_out.state, oidc_out.url
            flow = Flow(provider.slug, oidc_out.nonce, oidc_out.verifier, next_url, time.time())
    except SsoError as error:
        return sso_failed(request, str(error))
    flow_keep(request, state=state, flow=flow)
    return redirect(url)


def oidc_callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, slug=slug, enabled=True, kind=ProviderKind.OIDC)
    flow = flow_take(request, state=request.GET.get("state", ""), provider=provider.slug)
    if flow is None:
        return sso_failed(
            request,
            _(
                "This sign-in was not started in this browser, or it has expired: please log in again."
            ),
        )
    if request.GET.get("error") or not request.GET.get("code"):
        return sso_failed(request, _("The identity provider did not sign you in."))
    try:
        identity = oidc_identity(
            provider=provider, code=request.GET["code"], verifier=flow.verifier, nonce=flow.nonce
        )
        person = sso_person_sign_in(provider=provider, identity=identity)
    except SsoError as error:
        return sso_failed(request, str(error))
    return sso_signed_in(request, person=person, next_url=flow.next_url)


@csrf_exempt  # the IdP posts here from its own site; the answer is signed and tied to a request
@require_POST
def saml_acs(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, slug=slug, enabled=True, kind=ProviderKind.SAML)
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        return sso_failed(request, _("The identity provider did not sign you in."))
    if request.POST.get("continued") != "1":
        # A cross-site POST carries no SameSite=Lax session cookie: post the answer once more
        # from our own page, which does (identity/static/identity/continue.js).
        return render(request, "identity/saml_continue.html", {"saml_response": saml_response})
    request_id = saml_in_response_to(saml_response)
    flow = flow_take(request, state=request_id, provider=provider.slug)
    if flow is None:
        return sso_failed(
            request,
            _(
                "This sign-in was not started in this browser, or it has expired: please log in again."
            ),
        )
    try:
        identity = saml_identity(
            provider=provider, saml_response=saml_response, request_id=request_id
        )
        person = sso_person_sign_in(provider=provider, identity=identity)
    except SsoError as error:
        return sso_failed(request, str(error))
    logout = {"provider": provider.slug, **identity.logout_handle}
    return sso_signed_in(request, person=person, next_url=flow.next_url, logout=logout)


def saml_sls(request: HttpRequest, slug: str) -> HttpResponse:
    """The IdP's answer to our logout request: the local session already ended before."""
    messages.success(request, _("You are signed out, here and at your company's sign-in."))
    return redirect("accounts:login")


def saml_metadata_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Our service provider metadata, public: the IdP's admin (or the IdP itself) reads it."""
    provider = get_object_or_404(IdentityProvider, slug=slug, kind=ProviderKind.SAML)
    return HttpResponse(
        saml_metadata(provider=provider), content_type="application/samlmetadata+xml"
    )
