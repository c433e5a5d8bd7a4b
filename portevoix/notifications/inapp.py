"""The in-app notification list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.notifications.models import Notification


def notify(
    *, person: Person, kind: str, title: str, body: str = "", url: str = "", subject: str = ""
) -> Notification:
    return Notification.objects.create(
        person=person, kind=kind, title=title[:200], body=body, url=url, subject=subject
    )


def unread_count(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def notifications_for(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person)


def notifications_mark_read(*, person: Person, kind: str | None = None) -> int:
    """Everything the person has not read yet, or only one kind (a capability's own page
    marks its own notifications read)."""
    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if kind is not None:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


def unread_subjects(*, person: Person, subjects: list[str]) -> set[str]:
    """Which of these subjects the person has an unread notification about."""
    return set(
        Notification.objects.filter(
            person=person, read_at__isnull=True, subject__in=subjects
        ).values_list("subject", flat=True)
    )
