"""Ending a person's sessions, so that every device they use is signed out at once; and
deleting expired sessions, which Django leaves in the database for ever."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor_login import PENDING_KEY

DB_SESSIONS = "django.contrib.sessions.backends.db"


def _session_person(data: dict) -> str | None:
    """The person a session is about: signed in, or waiting for their two-factor code."""
    pending = data.get(PENDING_KEY)
    if isinstance(pending, dict) and "person" in pending:
        return str(pending["person"])
    found = data.get(SESSION_KEY)
    return None if found is None else str(found)


def person_sessions_end(*, person: Person) -> None:
    """Sessions are stored encoded, so each one is read: deactivations and erasures are rare,
    and an install has at most a few thousand sessions (expired ones go every day). Expired
    ones too: a single sign-on session holds the provider's name for the person (often their
    e-mail address), which an erasure must not leave behind."""
    if settings.SESSION_ENGINE != DB_SESSIONS:
        return
    mine = [
        session.pk
        for session in Session.objects.iterator()
        if _session_person(session.get_decoded()) == str(person.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()


def sessions_expired_delete(now: datetime | None = None) -> int:
    """Delete the sessions past their expiry (what `manage.py clearsessions` does); how many
    went."""
    if settings.SESSION_ENGINE != DB_SESSIONS:
        return 0
    deleted, _by_model = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted
