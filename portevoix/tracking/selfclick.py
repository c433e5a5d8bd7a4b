"""Recognising an ambassador who clicks their own link, without a session on the redirect.

While someone is logged in to Portevoix their browser carries a cookie only we can match to
them (`pv_self`, HttpOnly, SameSite=Lax so it also travels when they follow a link from a social
network): an HMAC of their id with a key derived from SECRET_KEY, so it cannot be read as the id
nor made for someone else. The redirect stores the cookie's raw value without reading it;
ingestion compares it with the token of the link's ambassador.
"""

from __future__ import annotations

import base64
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

SELF_COOKIE = "pv_self"
_SALT = "portevoix.tracking.self-click"
_MAX_AGE = timedelta(days=365)


def self_token_for(person_id: int) -> str:
    """22 URL-safe characters (128 bits of HMAC-SHA256), the same shape for everyone."""
    digest = salted_hmac(_SALT, str(person_id), algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def self_token_matches(token: str, person_id: int) -> bool:
    """Whether `token` is this person's. Values signed the former way ("42:<signature>", the
    id readable) are still recognised: browsers keep them until the person's next page of
    Portevoix, which replaces them."""
    if not token:
        return False
    if ":" in token:
        return legacy_token_person(token) == person_id
    return hmac.compare_digest(token, self_token_for(person_id))


def legacy_token_person(token: str) -> int | None:
    try:
        return int(Signer(salt=_SALT).unsign(token))
    except (BadSignature, ValueError):
        return None


class SelfClickCookieMiddleware:
    """Sets the cookie for logged-in people, removes it once they are logged out."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        current = request.COOKIES.get(SELF_COOKIE)
        if user is not None and user.is_authenticated:
            expected = self_token_for(user.pk)
            if current != expected:
                response.set_cookie(
                    SELF_COOKIE,
                    expected,
                    max_age=_MAX_AGE,
                    httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                    samesite="Lax",
                )
        elif current is not None:
            response.delete_cookie(SELF_COOKIE, samesite="Lax")
        return response
