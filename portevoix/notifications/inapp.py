"""The in-app notification list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.notifications.models import Notification


def notify(*, person: Person, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(
        person=person, kind=kind, title=title[:200], body=body, url=url
    )


def unread_count(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def notifications_for(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person)


def notifications_mark_read(*, person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
