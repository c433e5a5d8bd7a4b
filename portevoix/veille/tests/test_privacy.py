"""A person's veille data can be exported; erasing them keeps the organisation's data."""

import json

from portevoix.notifications.models import Notification
from portevoix.veille.alert_notices import alerts_mark_read
from portevoix.veille.alerts import alert_create
from portevoix.veille.inbox import item_dismiss, item_to_draft
from portevoix.veille.models import Alert, Item, Source, Watch
from portevoix.veille.privacy import export_person


def test_export_and_erasure(bob, make_item):
    source = Source.objects.create(name="Blog", url="https://blog.example/feed", created_by=bob)
    watch = Watch.objects.create(name="Marque", terms="Lumière", created_by=bob)
    used = make_item("Lumière recrute", source=source)
    dismissed = make_item("Hors sujet", source=source)
    item_to_draft(item=used, person=bob)
    item_dismiss(item=dismissed, person=bob)
    alert = alert_create(kind="negative_rise", watch=watch, negative_count=5, window_hours=24)
    alerts_mark_read(person=bob)

    data = export_person(bob)
    json.dumps(data)  # JSON-ready
    assert [s["name"] for s in data["sources_added"]] == ["Blog"]
    assert [w["name"] for w in data["watches_added"]] == ["Marque"]
    assert [i["title"] for i in data["items_used"]] == ["Lumière recrute"]
    assert [i["title"] for i in data["items_dismissed"]] == ["Hors sujet"]
    assert len(data["alerts_read"]) == 1 and data["alerts_read"][0]["alert"] == alert.pk

    bob.delete()
    source.refresh_from_db()
    watch.refresh_from_db()
    assert source.created_by is None and watch.created_by is None
    assert Item.objects.count() == 2 and Item.objects.get(pk=used.pk).used_by is None
    assert Item.objects.get(pk=used.pk).post is not None
    assert Item.objects.get(pk=dismissed.pk).dismissed_by is None
    assert not Notification.objects.filter(kind="alert").exists() and Alert.objects.count() == 1
