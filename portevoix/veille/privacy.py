"""Personal data in veille: who added sources and watches, who used or dismissed an item,
which alerts a person read. Erasing a person keeps the sources, watches and items (they are
the organisation's, not the person's) and forgets who acted: the foreign keys are SET_NULL,
alert reads are deleted with the person."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.veille.models import AlertRead, Item, Source, Watch


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
            {"title": i.title, "link": i.link, "used_at": i.used_at.isoformat()}
            for i in Item.objects.filter(used_by=person).exclude(used_at=None)
        ],
        "items_dismissed": [
            {"title": i.title, "link": i.link, "dismissed_at": i.dismissed_at.isoformat()}
            for i in Item.objects.filter(dismissed_by=person).exclude(dismissed_at=None)
        ],
        "alerts_read": [
            {"alert": r.alert_id, "read_at": r.read_at.isoformat()}
            for r in AlertRead.objects.filter(person=person)
        ],
    }
