"""Personal data in veille: who added sources and watches, who used or dismissed an item,
which alerts a person read. Erasing a person keeps the sources, watches and items (they are
the organisation's, not the person's) and forgets who acted: the foreign keys are SET_NULL.
Whether they read an alert is held by their alert notification, deleted with them."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.notifications.models import Kind, Notification
from portevoix.veille.models import Item, Source, Watch


def _alerts_read(person: Person) -> list[dict]:
    read = Notification.objects.filter(
        person=person, kind=Kind.ALERT, read_at__isnull=False, subject__startswith="veille-alert:"
    ).order_by("read_at", "id")
    return [
        {
            "alert": int(n.subject.split(":", 1)[1]),
            "read_at": n.read_at.isoformat() if n.read_at else None,
        }
        for n in read
    ]


def export_person(person: Person) -> dict:
    return {
        "sources_added": [
            {"name": s.name, "url": s.url, "created_at": s.created_at.isoformat()}
            for s in Source.objects.filter(created_by=person)
        ],
        "watches_added": [
            {"name": w.name, "created_at": w.created_at.isoformat()}
            for w in Watch.objects.filter(created_by=person)
        ],
        "items_used": [
            {
                "title": i.title,
                "link": i.link,
                "used_at": i.used_at.isoformat() if i.used_at else None,
            }
            for i in Item.objects.filter(used_by=person).exclude(used_at=None)
        ],
        "items_dismissed": [
            {
                "title": i.title,
                "link": i.link,
                "dismissed_at": i.dismissed_at.isoformat() if i.dismissed_at else None,
            }
            for i in Item.objects.filter(dismissed_by=person).exclude(dismissed_at=None)
        ],
        "alerts_read": _alerts_read(person),
    }
