"""Headers every page Django answers carries, beyond Django's own (SecurityMiddleware,
X-Frame-Options):

- Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): scripts from our own origin
  only, never inline, so markup slipped into a page cannot run; a view that sets its own policy
  keeps it.
- `Cache-Control: private, no-store` on every answer to a signed-in person: their pages name
  people and figures, and neither a shared proxy nor the browser's back button on a shared
  computer may keep them.

Static files are answered by WhiteNoise before this middleware, and tracked links (`/s/<code>`)
by the redirect before Django: neither goes through it; each sets its own headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIVATE_CACHE_CONTROL = "private, no-store"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
