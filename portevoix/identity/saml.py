"""SAML 2.0 Web Browser SSO, service provider side, with pysaml2 (signatures by xmlsec1).

pysaml2 checks what the protocol asks of a response: the assertion's signature against the
IdP's certificate from its metadata (signed assertions are required), the audience (our entity
ID), the recipient and destination (our assertion consumer service), the validity window with
SSO_CLOCK_SKEW seconds of leeway, and that it answers a request this browser made. We add the
replay check: an assertion ID is accepted once (SeenAssertion) until it expires.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from defusedxml import ElementTree
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import UnsolicitedResponse, VerificationError
from saml2.saml import name_id_from_string
from saml2.sigver import SignatureError
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import SIG_RSA_SHA256

from portevoix.core.fetch import FetchError, fetch
from portevoix.identity.claims import SignedInIdentity, claim_values
from portevoix.identity.errors import SsoError
from portevoix.identity.models import IdentityProvider, SeenAssertion
from portevoix.identity.saml_keys import saml_key_files, saml_keys_ensure

METADATA_SECONDS = 3600
EMAIL_ATTRIBUTES = ("email", "mail", "emailaddress", "urn:oid:0.9.2342.19200300.100.1.3")
NAME_ATTRIBUTES = ("displayname", "name", "cn", "urn:oid:2.16.840.1.113730.3.1.241")


@dataclass(frozen=True)
class SamlRequest:
    url: str
    request_id: str


def saml_urls(provider: IdentityProvider) -> dict[str, str]:
    def url(name: str) -> str:
        return settings.SITE_URL + reverse(f"identity:saml_{name}", args=[provider.slug])

    return {"entity_id": url("metadata"), "acs": url("acs"), "sls": url("sls")}


def _idp_metadata(provider: IdentityProvider) -> str:
    if provider.metadata_xml.strip():
        return provider.metadata_xml
    key = f"identity:saml-metadata:{hashlib.sha256(provider.metadata_url.encode()).hexdigest()}"
    xml = cache.get(key)
    if xml is None:
        try:
            result = fetch(provider.metadata_url)
        except FetchError as error:
            raise SsoError(
                _("The identity provider could not be reached: %(error)s") % {"error": error}
            ) from None
        if result.status != 200:
            raise SsoError(_("The identity provider's metadata could not be read."))
        xml = result.body.decode("utf-8", "replace")
        cache.set(key, xml, METADATA_SECONDS)
    return xml


def _config(provider: IdentityProvider, key_file: str, cert_file: str) -> SPConfig:
    urls = saml_urls(provider)
    config = SPConfig()
    config.load(
        {
            "entityid": urls["entity_id"],
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": key_file,
            "cert_file": cert_file,
            "metadata": {"inline": [_idp_metadata(provider)]},
            "accepted_time_diff": settings.SSO_CLOCK_SKEW,
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)],
                        "single_logout_service": [(urls["sls"], BINDING_HTTP_REDIRECT)],
                    },
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "authn_requests_signed": True,
                    "allow_unsolicited": False,
                }
            },
        }
    )
    return config


@contextmanager
def _client(provider: IdentityProvider) -> Iterator[Saml2Client]:
    saml_keys_ensure(provider=provider)
    with saml_key_files(provider) as (key_file, cert_file):
        try:
            client = Saml2Client(config=_config(provider, key_file, cert_file))
        except SsoError:
            raise
        except Exception:  # pysaml2 raises many kinds on unreadable metadata
            raise SsoError(_("The identity provider's metadata could not be read.")) from None
        yield client


def saml_metadata(*, provider: IdentityProvider) -> str:
    """Our service provider metadata, for the IdP's admin (entity ID, ACS, SLO, our key)."""
    saml_keys_ensure(provider=provider)
    with saml_key_files(provider) as (key_file, cert_file):
        config = SPConfig()
        urls = saml_urls(provider)
        config.load(
            {
                "entityid": urls["entity_id"],
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": key_file,
                "cert_file": cert_file,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)],
                            "single_logout_service": [(urls["sls"], BINDING_HTTP_REDIRECT)],
                        },
                        "want_assertions_signed": True,
                        "authn_requests_signed": True,
                    }
                },
            }
        )
        metadata: bytes | str = create_metadata_string(None, config=config)
    return metadata.decode() if isinstance(metadata, bytes) else metadata


def saml_request_new(*, provider: IdentityProvider, relay_state: str) -> SamlRequest:
    with _client(provider) as client:
        idps = list(client.metadata.identity_providers())
        if len(idps) != 1:
            raise SsoError(_("The identity provider's metadata must describe one IdP."))
        try:
            request_id, info = client.prepare_for_authenticate(
                entityid=idps[0], relay_state=relay_state, binding=BINDING_HTTP_REDIRECT
            )
        except Exception:
            raise SsoError(
                _("The identity provider offers no sign-in this platform can use.")
            ) from None
    location = dict(info["headers"])["Location"]
    return SamlRequest(url=location, request_id=str(request_id))


def _first(attributes: dict, names: tuple[str, ...]) -> str:
    lowered = {k.lower(): v for k, v in attributes.items()}
    for name in names:
        values = claim_values(lowered, name)
        if values:
            return values[0]
    return ""


def _assertion_once(provider: IdentityProvider, assertion_id: str, not_on_or_after: str) -> None:
    expires = parse_datetime(not_on_or_after or "") or timezone.now() + timedelta(hours=1)
    SeenAssertion.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                provider=provider, assertion_id=assertion_id[:200], expires_at=expires
            )
    except IntegrityError:
        raise SsoError(_("This sign-in answer was already used: please log in again.")) from None


def _refusal_reason(error: Exception) -> str:
    """A word for the check that failed (pysaml2 says it with classes and messages)."""
    if isinstance(error, SignatureError):
        return "signature"
    if "AudienceRestriction" in str(error):
        return "audience"
    if isinstance(error, UnsolicitedResponse):
        return "InResponseTo"
    if isinstance(error, VerificationError | ResponseLifetimeExceed | ToEarly):
        return "conditions"  # validity window, recipient or subject confirmation
    return type(error).__name__


def saml_identity(
    *, provider: IdentityProvider, saml_response: str, request_id: str
) -> SignedInIdentity:
    with _client(provider) as client:
        try:
            response = client.parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
            )
        except Exception as error:  # pysaml2's refusals have no common base class
            raise SsoError(
                _("The identity provider's answer was refused (%(reason)s).")
                % {"reason": _refusal_reason(error)}
            ) from None
    if response is None or response.assertion is None:
        raise SsoError(
            _("The identity provider's answer was refused (%(reason)s).") % {"reason": "empty"}
        )
    conditions = response.assertion.conditions
    _assertion_once(
        provider, str(response.assertion.id), conditions.not_on_or_after if conditions else ""
    )
    attributes = response.get_identity() or {}
    session = response.session_info()
    subject = response.get_subject()
    email = _first(attributes, EMAIL_ATTRIBUTES) or (
        subject.text if subject is not None and "@" in (subject.text or "") else ""
    )
    return SignedInIdentity(
        subject=str(subject.text if subject is not None else ""),
        email=email.strip().lower(),
        # A signed assertion from the organisation's IdP is its statement; the domain check
        # in signin.py still limits it to the provider's own domains.
        email_verified=provider.directory_owns_domains,
        full_name=_first(attributes, NAME_ATTRIBUTES),
        group_values=claim_values(attributes, provider.group_claim),
        logout_handle={
            "idp": str(session.get("issuer") or ""),
            "name_id": str(session.get("name_id") or ""),
            "session_index": str(session.get("session_index") or ""),
        },
    )


def saml_in_response_to(saml_response: str) -> str:
    """The request a response answers (InResponseTo), read before any check to find this
    browser's flow; everything is then checked by `saml_identity`. Empty when unreadable."""
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=False))
    except Exception:  # not base64, not XML, or XML with entities: no flow
        return ""
    return str(root.get("InResponseTo", ""))[:200]


def saml_logout_url(*, provider: IdentityProvider, handle: dict[str, str]) -> str | None:
    """Where to send the browser so that the IdP ends its session too (SAML single logout,
    HTTP-Redirect binding, our LogoutRequest signed), or None when the IdP offers none."""
    with _client(provider) as client:
        try:
            services = client.metadata.single_logout_service(
                handle["idp"], BINDING_HTTP_REDIRECT, "idpsso"
            )
        except Exception:  # an IdP unknown to the metadata now
            return None
        if not services:
            return None
        destination = services[0]["location"]
        _request_id, request = client.create_logout_request(
            destination,
            handle["idp"],
            name_id=name_id_from_string(handle["name_id"]),
            session_indexes=[handle["session_index"]] if handle.get("session_index") else None,
            sign=False,  # the Redirect binding signs the query string instead
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), destination, sign=True, sigalg=SIG_RSA_SHA256
        )
    return str(dict(info["headers"])["Location"])
