"""What webhooks hold about a person: the events that named them by id (a share, a conversion,
an opt-in…), kept for the delivery log. The export lists them; on erasure their id is taken
out of every stored payload, so nothing sent or sent again afterwards points to them."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.webhooks.models import WebhookEndpoint, WebhookEvent
from portevoix.webhooks.payloads import people_hidden


def export_person(person: Person) -> dict:
    events = WebhookEvent.objects.filter(people=person).order_by("created_at", "id")
    return {
        "events_naming_me": [
            {"type": e.type, "id": e.uid, "at": e.created_at.isoformat()} for e in events
        ],
        # Endpoints they added (the organisation's: they stay, without them, on erasure).
        "endpoints_created": [
            {"name": e.name, "created_at": e.created_at.isoformat()}
            for e in WebhookEndpoint.objects.filter(created_by=person).order_by("created_at", "id")
        ],
    }


def erase_person(person: Person) -> None:
    for event in WebhookEvent.objects.filter(people=person):
        event.data = people_hidden(event.data, {person.pk})
        event.save(update_fields=["data"])
