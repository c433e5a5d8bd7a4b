"""OpenID Connect, authorization code flow with PKCE (OpenID Connect Core 1.0, RFC 7636).

The protocol's cryptography is joserfc's (JWS signature against the provider's JWKS, registered
claims); this module only sequences the calls. Every outbound request (discovery, JWKS, token,
userinfo) goes through core/fetch.py, so a provider URL cannot reach the inside network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portevoix.core.fetch import FetchError, fetch
from portevoix.identity.claims import SignedInIdentity, claim_values
from portevoix.identity.errors import SsoError
from portevoix.identity.models import IdentityProvider
from portevoix.identity.providers import provider_client_secret

# Asymmetric signatures only: "none" and HS256 (signed with the client secret) are refused.
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
DISCOVERY_SECONDS = 3600
JWKS_SECONDS = 600


@dataclass(frozen=True)
class OidcEndpoints:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class OidcRequest:
    """What the browser takes to the provider, and what we keep to check its answer."""

    url: str
    state: str
    nonce: str
    verifier: str


def _json(url: str, *, headers: dict[str, str] | None = None, body: bytes | None = None) -> dict:
    try:
        result = fetch(
            url, headers=headers, method="POST" if body is not None else "GET", body=body
        )
    except FetchError as error:
        raise SsoError(
            _("The identity provider could not be reached: %(error)s") % {"error": error}
        ) from None
    try:
        data = json.loads(result.body)
    except ValueError:
        data = None
    if result.status != 200 or not isinstance(data, dict):
        raise SsoError(
            _("The identity provider refused the sign-in (%(status)s %(error)s).")
            % {
                "status": result.status,
                "error": (data or {}).get("error", "") if isinstance(data, dict) else "",
            }
        )
    return data


def redirect_uri(provider: IdentityProvider) -> str:
    return settings.SITE_URL + reverse("identity:oidc_callback", args=[provider.slug])


def oidc_discover(provider: IdentityProvider) -> OidcEndpoints:
    issuer = provider.issuer.rstrip("/")
    key = f"identity:discovery:{hashlib.sha256(issuer.encode()).hexdigest()}"
    document = cache.get(key)
    if document is None:
        document = _json(issuer + "/.well-known/openid-configuration")
        cache.set(key, document, DISCOVERY_SECONDS)
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        # OpenID Connect Discovery §4.3: a document for another issuer is an impostor's.
        raise SsoError(_("The identity provider's discovery document names another issuer."))
    try:
        return OidcEndpoints(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            userinfo_endpoint=document.get("userinfo_endpoint", ""),
            jwks_uri=document["jwks_uri"],
        )
    except KeyError:
        raise SsoError(_("The identity provider's discovery document is incomplete.")) from None


def _code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def oidc_request_new(*, provider: IdentityProvider, login_hint: str) -> OidcRequest:
    endpoints = oidc_discover(provider)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    scopes = ["openid", "email", "profile", *provider.scopes.split()]
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(provider),
        "scope": " ".join(dict.fromkeys(scopes)),
        "state": state,
        "nonce": nonce,
        "code_challenge": _code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    separator = "&" if "?" in endpoints.authorization_endpoint else "?"
    url = endpoints.authorization_endpoint + separator + urlencode(params)
    return OidcRequest(url=url, state=state, nonce=nonce, verifier=verifier)


def _key_set(endpoints: OidcEndpoints, *, fresh: bool = False) -> KeySet:
    key = f"identity:jwks:{hashlib.sha256(endpoints.jwks_uri.encode()).hexdigest()}"
    data = None if fresh else cache.get(key)
    if data is None:
        data = _json(endpoints.jwks_uri)
        cache.set(key, data, JWKS_SECONDS)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]  # checked by joserfc
    except (JoseError, ValueError, TypeError):
        raise SsoError(_("The identity provider's signing keys could not be read.")) from None


def _id_token_claims(
    *, provider: IdentityProvider, endpoints: OidcEndpoints, id_token: str, nonce: str
) -> dict:
    try:
        try:
            token = jwt.decode(id_token, _key_set(endpoints), algorithms=ID_TOKEN_ALGORITHMS)
        except JoseError:
            # The provider may have rotated its keys since we read them: read them once more.
            token = jwt.decode(
                id_token, _key_set(endpoints, fresh=True), algorithms=ID_TOKEN_ALGORITHMS
            )
    except (JoseError, ValueError):
        raise SsoError(_("The identity provider's token is not validly signed.")) from None
    registry = jwt.JWTClaimsRegistry(
        leeway=settings.SSO_CLOCK_SKEW,
        iss={"essential": True, "value": endpoints.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise SsoError(
            _("The identity provider's token was refused (%(claim)s).")
            % {"claim": getattr(error, "claim", error.error)}
        ) from None
    audiences = token.claims["aud"]
    if (
        isinstance(audiences, list)
        and len(audiences) > 1
        and token.claims.get("azp") != provider.client_id
    ):
        raise SsoError(_("The identity provider's token was refused (azp)."))
    return dict(token.claims)


def oidc_identity(
    *, provider: IdentityProvider, code: str, verifier: str, nonce: str
) -> SignedInIdentity:
    """Exchange the code (with the PKCE verifier), check the ID token, read the user info."""
    endpoints = oidc_discover(provider)
    credentials = (
        f"{quote(provider.client_id, safe='')}:{quote(provider_client_secret(provider), safe='')}"
    )
    tokens = _json(
        endpoints.token_endpoint,
        headers={
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        body=urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(provider),
                "code_verifier": verifier,
            }
        ).encode(),
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise SsoError(_("The identity provider sent no ID token."))
    claims = _id_token_claims(
        provider=provider, endpoints=endpoints, id_token=id_token, nonce=nonce
    )
    access_token = tokens.get("access_token")
    if endpoints.userinfo_endpoint and isinstance(access_token, str):
        info = _json(
            endpoints.userinfo_endpoint,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        if info.get("sub") != claims["sub"]:
            raise SsoError(_("The identity provider's user information is for someone else."))
        claims = {**info, **claims}
    verified = claims.get("email_verified")
    return SignedInIdentity(
        subject=str(claims["sub"]),
        email=str(claims.get("email", "")).strip().lower(),
        email_verified=verified is True or verified == "true",
        full_name=str(claims.get("name", "") or "").strip(),
        group_values=claim_values(claims, provider.group_claim),
    )
