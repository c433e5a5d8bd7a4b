"""The curation inbox's items through the API: its filters, dismissing, making a draft."""

from __future__ import annotations

from portevoix.content.models import Post
from portevoix.veille.models import Item, Source


def _item(title: str) -> Item:
    source, _created = Source.objects.get_or_create(name="Blog", url="https://blog.example/feed")
    return Item.objects.create(
        source=source,
        title=title,
        link="https://blog.example/a",
        title_date_key=title,
        dated_at="2026-11-10T10:00Z",
    )


def test_an_item_is_dismissed_restored_and_drafted_once(api_as, bob):
    item = _item("Un article")
    api = api_as(bob, "write")
    assert [i["id"] for i in api.get("/api/v1/veille/items").json()["items"]] == [item.pk]
    assert api.post(f"/api/v1/veille/items/{item.pk}/dismiss").json()["dismissed"] is True
    assert api.get("/api/v1/veille/items").json()["items"] == []
    dismissed = api.get("/api/v1/veille/items", {"status": "dismissed"}).json()["items"]
    assert [i["id"] for i in dismissed] == [item.pk]
    assert api.post(f"/api/v1/veille/items/{item.pk}/restore").json()["dismissed"] is False
    drafted = api.post(f"/api/v1/veille/items/{item.pk}/draft")
    assert drafted.status_code == 201 and drafted.json()["status"] == "draft"
    again = api.post(f"/api/v1/veille/items/{item.pk}/draft")
    assert again.status_code == 200 and again.json()["id"] == drafted.json()["id"]
    assert Post.objects.count() == 1


def test_bad_filters_are_refused(api_as, bob):
    api = api_as(bob, "read")
    assert api.get("/api/v1/veille/items", {"status": "perdu"}).status_code == 400
    assert api.get("/api/v1/veille/items", {"source": 999999}).status_code == 400
