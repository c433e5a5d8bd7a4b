"""Between the password and the code: the person is *pending*, not logged in.

After a right password, the session holds who is pending, for a few minutes, and nothing else:
Django's `login()` only runs once the code is right, so until then every page that needs a
logged-in person answers as to a stranger. A changed password (reset, or an admin's action)
voids the pending log-in, as it voids sessions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth import login
from django.http import HttpRequest

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor import two_factor_enabled

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class Pending:
    person: Person
    backend: str
    next_url: str


def two_factor_login_needed(person: Person) -> bool:
    return two_factor_enabled(person)


def two_factor_login_begin(
    request: HttpRequest, *, person: Person, backend: str, next_url: str
) -> None:
    """The password was right: remember who is pending, under a new session key."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "person": person.pk,
        "backend": backend,
        "next": next_url,
        "until": time.time() + PENDING_SECONDS,
        "hash": person.get_session_auth_hash(),
    }


def two_factor_pending(request: HttpRequest) -> Pending | None:
    """Who is pending in this browser, or None (nobody, expired, deactivated, or the password
    changed since)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if float(data.get("until", 0)) < time.time():
        request.session.pop(PENDING_KEY, None)
        return None
    person = Person.objects.filter(pk=int(data.get("person", 0)), is_active=True).first()
    if person is None or person.get_session_auth_hash() != data.get("hash"):
        request.session.pop(PENDING_KEY, None)
        return None
    return Pending(person=person, backend=str(data["backend"]), next_url=str(data["next"]))


def two_factor_login_complete(request: HttpRequest, *, pending: Pending) -> None:
    """The code was right: now the person is logged in (Django cycles the session key again)."""
    request.session.pop(PENDING_KEY, None)
    login(request, pending.person, backend=pending.backend)
