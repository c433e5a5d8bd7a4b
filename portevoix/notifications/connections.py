"""Telling a person that a connected account needs them: refused credentials, or a token that
ends soon (LinkedIn's 60 days)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.connections.models import Connection
from portevoix.notifications.models import Kind
from portevoix.notifications.send import person_notify


def reconnect_announce(*, connection: Connection) -> None:
    person = connection.person
    with override(person.language):
        person_notify(
            person=person,
            kind=Kind.SYSTEM,
            title=_("Reconnect your %(network)s account")
            % {"network": connection.get_network_display()},
            body=_(
                "%(network)s refused to publish for you: connect your account again from your profile. Your scheduled shares on it wait for you."
            )
            % {"network": connection.get_network_display()},
            url=reverse("connections:mine"),
            subject=f"connection:{connection.pk}",
        )


def expiring_announce(*, connection: Connection, expires_at: datetime | None) -> None:
    person = connection.person
    with override(person.language):
        person_notify(
            person=person,
            kind=Kind.SYSTEM,
            title=_("Your %(network)s connection ends soon")
            % {"network": connection.get_network_display()},
            body=_(
                "%(network)s ends our access to your account on %(day)s: reconnect it from your profile to keep publishing."
            )
            % {
                "network": connection.get_network_display(),
                "day": date_format(expires_at, "SHORT_DATE_FORMAT") if expires_at else "",
            },
            url=reverse("connections:mine"),
            subject=f"connection:{connection.pk}",
        )
