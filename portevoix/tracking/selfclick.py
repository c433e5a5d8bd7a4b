"""Recognising an ambassador who clicks their own link, without a session on the redirect.

While someone is logged in to Portevoix their browser carries a signed cookie naming them
(`pv_self`, HttpOnly, SameSite=Lax so it also travels when they follow a link from a social
network). The redirect stores the cookie's raw value without reading it; ingestion checks the
signature and compares the person with the link's ambassador.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.http import HttpRequest, HttpResponse

SELF_COOKIE = "pv_self"
_SALT = "portevoix.tracking.self-click"
_MAX_AGE = timedelta(days=365)


def self_token_for(person_id: int) -> str:
    return Signer(salt=_SALT).sign(str(person_id))


def self_token_person(token: str) -> int | None:
    """The person a token names, or None when it is empty, forged or damaged."""
    if not token:
        return None
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
