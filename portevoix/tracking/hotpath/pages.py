"""The few pages the redirect itself answers: rendered once per language, then served as bytes."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)

SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
]
PAGE_HEADERS = [
    *SECURITY_HEADERS,
    ("Content-Type", "text/html; charset=utf-8"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'"),
]
TEMPLATES = {
    "not_found": "tracking/link_not_found.html",
    "unavailable": "tracking/link_unavailable.html",
}
_rendered: dict[tuple[str, str], bytes] = {}


def visitor_language(environ: dict) -> str:
    """The language of the visitor: their Portevoix language cookie, else their browser's."""
    cookie = environ.get("HTTP_COOKIE", "")
    name = settings.LANGUAGE_COOKIE_NAME + "="
    if name in cookie:
        value = cookie.split(name, 1)[1].split(";", 1)[0].strip()
        if value in dict(settings.LANGUAGES):
            return value
    for tag, _quality in parse_accept_lang_header(environ.get("HTTP_ACCEPT_LANGUAGE", "")[:200]):
        if tag == "*":
            break
        try:
            return get_supported_language_variant(tag)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def page(name: str, language: str) -> bytes:
    body = _rendered.get((name, language))
    if body is None:
        with translation.override(language):
            body = render_to_string(
                TEMPLATES[name],
                {
                    "LANGUAGE_CODE": language,
                    "SITE_URL": settings.SITE_URL,
                    "ORGANISATION_NAME": settings.ORGANISATION_NAME,
                    "STATIC_URL": settings.STATIC_URL,
                },
            ).encode()
        _rendered[(name, language)] = body
    return body
