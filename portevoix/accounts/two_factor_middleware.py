"""When the admin requires two-factor log-in, a member of the pilot team without it reaches
nothing but its set-up page (and the log-out) until it is done."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor_policy import PILOT_ROLES, two_factor_setup_due

# The set-up and the log-out, and what the browser fetches by itself for the installed app
# (a redirect would only make its service worker fail to install).
OPEN_URL_NAMES = (
    "accounts:two_factor_setup",
    "accounts:logout",
    "core:manifest",
    "core:service_worker",
)


class TwoFactorSetupMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # The role first: ambassadors' pages (the feed, the redirect's neighbours) pay nothing.
        if (
            isinstance(user, Person)
            and user.role in PILOT_ROLES
            and request.path not in {reverse(name) for name in OPEN_URL_NAMES}
            and two_factor_setup_due(user)
        ):
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
