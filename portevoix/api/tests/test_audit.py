"""Changes made through the API are in the audit log like those made on the pages, with who
made them, what changed, and that it came through the API."""

from __future__ import annotations

from portevoix.api.tests.test_posts import POST
from portevoix.content.review import approval_set
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
        "post_submitted",
    ]
    changed = entries.get(action="post_changed").details["changes"]
    assert changed["title"] == [POST["title"], "Nous recrutons à Nantes"]
    assert entries.get(action="post_submitted").details == {"through": "API"}
    assert list(audit_verify()) == []


def test_a_campaign_through_the_api_is_recorded(api_as, bob):
    api_as(bob, "write").post("/api/v1/campaigns", {"name": "Printemps", "goal": "shares"})
    entry = AuditEntry.objects.get(action="campaign_created")
    assert entry.actor == bob and entry.details["through"] == "API"
    assert entry.details["changes"]["name"] == [None, "Printemps"]


def test_a_refused_api_change_records_nothing(api_as, alice):
    assert api_as(alice, "write").post("/api/v1/posts", POST).status_code == 403
    assert not AuditEntry.objects.exists()


def test_each_step_through_the_api_is_recorded_once(api_as, bob, carol):
    approval_set(required=True, by=carol)
    author, approver = api_as(bob, "write"), api_as(carol, "write")
    post_id = author.post("/api/v1/posts", POST).json()["id"]
    title = POST["title"]
    api = {"Bob Durand": author, "Carol Admin": approver}

    def step(who: str, path: str, body: dict | None = None) -> list[tuple[str, str, dict]]:
        newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
        response = api[who].post(f"/api/v1/posts/{post_id}/{path}", body)
        assert response.status_code == 200, response.content
        return list(
            AuditEntry.objects.filter(id__gt=newest)
            .order_by("id")
            .values_list("action", "target", "details")
        )

    assert step("Bob Durand", "submit") == [("post_submitted", title, {"through": "API"})]
    assert step("Carol Admin", "publish", {"note": "Parfait"}) == [
        ("post_approved", title, {"note": "Parfait", "through": "API"}),
        ("post_published", title, {"through": "API"}),
    ]
    assert step("Carol Admin", "return", {"note": "La date manque"}) == [
        ("post_returned", title, {"note": "La date manque", "through": "API"}),
    ]
    assert step("Bob Durand", "archive") == [("post_archived", title, {"through": "API"})]
    assert list(audit_verify()) == []
