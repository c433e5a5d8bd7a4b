"""Changes made through the API are in the audit log like those made on the pages, with who
made them, what changed, and that it came through the API."""

from __future__ import annotations

from portevoix.api.tests.test_posts import POST
from portevoix.core.audit import audit_verify
from portevoix.core.models import AuditEntry


def test_posts_and_their_steps_through_the_api_are_recorded(api_as, bob):
    api = api_as(bob, "write")
    post_id = api.post("/api/v1/posts", POST).json()["id"]
    api.patch(f"/api/v1/posts/{post_id}", {"title": "Nous recrutons à Nantes"})
    api.post(f"/api/v1/posts/{post_id}/submit")
    entries = AuditEntry.objects.filter(actor=bob).order_by("id")
    assert list(entries.values_list("action", flat=True)) == [
        "post_created",
        "post_changed",
        "post_submit",
    ]
    changed = entries.get(action="post_changed").details["changes"]
    assert changed["title"] == [POST["title"], "Nous recrutons à Nantes"]
    assert entries.get(action="post_submit").details["through"] == "API"
    assert list(audit_verify()) == []


def test_a_campaign_through_the_api_is_recorded(api_as, bob):
    api_as(bob, "write").post("/api/v1/campaigns", {"name": "Printemps", "goal": "shares"})
    entry = AuditEntry.objects.get(action="campaign_created")
    assert entry.actor == bob and entry.details["through"] == "API"
    assert entry.details["changes"]["name"] == [None, "Printemps"]


def test_a_refused_api_change_records_nothing(api_as, alice):
    assert api_as(alice, "write").post("/api/v1/posts", POST).status_code == 403
    assert not AuditEntry.objects.exists()
