"""Where an e-mail logs in, and where a log-out goes on: apps above accounts (single sign-on,
in `identity`) register here.

Accounts sits below them (docs/architecture.md), so the log-in page cannot import them: it asks
this registry instead. A route looks at the e-mail typed on the log-in page and either answers
with a response of its own (send the person to their company's identity provider, or refuse a
password their company forbids) or lets the password step go on (None).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

LoginRoute = Callable[[HttpRequest, str, str], HttpResponse | None]
LoginHint = Callable[[], str | None]

LogoutRoute = Callable[[HttpRequest], str | None]
PasswordRefusal = Callable[[str], str | None]

_routes: list[LoginRoute] = []
_hints: list[LoginHint] = []
_logout_routes: list[LogoutRoute] = []
_password_refusals: list[PasswordRefusal] = []


def login_route_register(*, route: LoginRoute, hint: LoginHint | None = None) -> None:
    """`route(request, email, password)`; `hint()` a line the log-in page shows, or None."""
    if route not in _routes:
        _routes.append(route)
    if hint is not None and hint not in _hints:
        _hints.append(hint)


def login_route_response(request: HttpRequest, *, email: str, password: str) -> HttpResponse | None:
    for route in _routes:
        response = route(request, email, password)
        if response is not None:
            return response
    return None


def login_hints() -> list[str]:
    return [line for hint in _hints if (line := hint())]


def logout_route_register(*, route: LogoutRoute) -> None:
    """`route(request)`, asked before the session ends: a URL to send the browser to once it
    has ended (the company's provider, to sign out there too), or None."""
    if route not in _logout_routes:
        _logout_routes.append(route)


def logout_route_url(request: HttpRequest) -> str | None:
    for route in _logout_routes:
        url = route(request)
        if url:
            return url
    return None


def password_refusal_register(*, check: PasswordRefusal) -> None:
    """`check(email)`: why passwords are refused for this e-mail (its company signs it in), or
    None. Asked before a password-reset e-mail is sent."""
    if check not in _password_refusals:
        _password_refusals.append(check)


def password_refusal(email: str) -> str | None:
    for check in _password_refusals:
        reason = check(email)
        if reason:
            return reason
    return None
