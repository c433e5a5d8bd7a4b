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


def test_a_scoped_admin_cannot_name_an_organisation_wide_editor_or_admin(api_as, bob):
    """Named by Sara (Paris), they would work for the whole organisation, Lyon included."""
    from portevoix.accounts.tests.scoped_world import scoped_world

    world = scoped_world(bob)
    paula = world.objects["paula"]
    api = api_as(world.sara)
    for role in ("editor", "admin"):
        invite = {"email": "new@example.com", "full_name": "Nouvelle Personne", "role": role}
        refused = api.post("/api/v1/people/invite", invite)
        assert refused.status_code == 422 and "whole organisation" in refused.content.decode()
        assert api.patch(f"/api/v1/people/{paula.pk}", {"role": role}).status_code == 422
    assert not Invitation.objects.filter(email="new@example.com").exists()
    paula.refresh_from_db()
    assert paula.role == "ambassador"
    assert api.patch(f"/api/v1/people/{paula.pk}", {"full_name": "Paula P."}).status_code == 200
