"""People for admins: the admin pages' rules, the audit log, the last admin kept."""

from __future__ import annotations

from django.core import mail

from portevoix.accounts.models import Group, Invitation, Person
from portevoix.api.tests.conftest import ApiClient
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import snapshot


def test_an_admin_invites_changes_and_deactivates(api_as, carol, alice, token_for):
    api = api_as(carol, "admin")
    ventes = Group.objects.create(name="Ventes")
    invited = api.post(
        "/api/v1/people/invite",
        {
            "email": "Zoe@Example.com",
            "full_name": "Zoé Petit",
            "role": "editor",
            "groups": [ventes.pk],
        },
    )
    assert invited.status_code == 201, invited.content
    assert invited.json()["email"] == "zoe@example.com"
    assert mail.outbox and mail.outbox[0].to == ["zoe@example.com"]
    changed = api.patch(f"/api/v1/people/{alice.pk}", {"role": "editor"})
    assert changed.status_code == 200 and changed.json()["role"] == "editor"
    alice_token = token_for(alice, "read")
    gone = api.post(f"/api/v1/people/{alice.pk}/deactivate")
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    assert ApiClient(alice_token).get("/api/v1/me").status_code == 401
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "person_invited",
        "person_changed",
        "person_deactivated",
    }


def test_the_pages_rules_hold(api_as, carol, alice):
    api = api_as(carol, "admin")
    before = snapshot(Person, Invitation)
    for body in (
        {"email": "pas-un-email", "full_name": "X"},
        {"email": alice.email, "full_name": "Alice"},
        {"email": "x@example.com", "full_name": "X", "role": "roi"},
        {"email": "x@example.com", "full_name": "X\nY"},
    ):
        assert api.post("/api/v1/people/invite", body).status_code == 422, body
    last_admin = api.patch(f"/api/v1/people/{carol.pk}", {"role": "editor"})
    assert last_admin.status_code == 422
    assert "last administrator" in last_admin.json()["errors"]["role"][0]
    assert api.post(f"/api/v1/people/{carol.pk}/deactivate").status_code == 409
    assert snapshot(Person, Invitation) == before


def test_people_are_listed_page_by_page(api_as, carol, alice, bob):
    api = api_as(carol, "read")
    first = api.get("/api/v1/people", {"limit": 2}).json()
    second = api.get("/api/v1/people", {"limit": 2, "cursor": first["next_cursor"]}).json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert sorted(ids, reverse=True) == ids and {alice.pk, bob.pk, carol.pk} <= set(ids)
    assert api.get("/api/v1/people", {"q": "alice"}).json()["items"][0]["email"] == alice.email
