"""Ending a person's sessions, so that every device they use is signed out at once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from portevoix.accounts.models import Person


def person_sessions_end(*, person: Person) -> None:
    """Sessions are stored encoded, so each live one is read: deactivations and erasures are
    rare, and an install has at most a few thousand sessions."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(person.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
