"""Tokens: made on the tokens page, shown once, hashed at rest; expired, revoked or a
deactivated person's tokens open nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.api.models import ApiToken
from portevoix.api.tests.conftest import ApiClient
from portevoix.core.models import AuditEntry
from portevoix.core.secrets import token_digest


def test_a_person_makes_a_token_sees_it_once_and_it_works(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("api_pages:tokens"), {"name": "Mon script", "scope": "read", "days": 30}
    )
    assert response.status_code == 200
    plain = re.search(r'id="new-token">(pvx_api_[^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(person=alice)
    assert token.digest == token_digest(plain) and plain not in token.hint + token.digest
    assert plain not in client.get(reverse("api_pages:tokens")).content.decode()
    me = ApiClient(plain).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == alice.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_an_admin_offers_the_admin_scope_and_service_tokens(client_for, bob, carol):
    refused = client_for(bob).post(
        reverse("api_pages:tokens"), {"name": "x", "scope": "admin", "days": 30}
    )
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    service = client_for(bob).post(
        reverse("api_pages:tokens"), {"name": "x", "scope": "read", "days": 30, "kind": "service"}
    )
    assert service.status_code == 400 and not ApiToken.objects.exists()
    made = client_for(carol).post(
        reverse("api_pages:tokens"),
        {"name": "CRM", "scope": "admin", "days": 30, "kind": "service"},
    )
    assert made.status_code == 200
    assert ApiToken.objects.get().kind == "service"
    assert AuditEntry.objects.filter(action="api_token_created", target="CRM").exists()


@pytest.mark.parametrize("days", ["0", "400", "abc"])
def test_a_bad_expiry_is_refused(client_for, alice, days):
    response = client_for(alice).post(
        reverse("api_pages:tokens"), {"name": "x", "scope": "read", "days": days}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("api_pages:tokens"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_revoked_token_opens_nothing(client_for, token_for, alice):
    plain = token_for(alice, "read")
    token = ApiToken.objects.get(person=alice)
    client_for(alice).post(reverse("api_pages:token_revoke", args=[token.pk]))
    response = ApiClient(plain).get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_another_persons_token(client_for, token_for, alice, bob):
    token_for(alice, "read")
    token = ApiToken.objects.get(person=alice)
    assert (
        client_for(bob).post(reverse("api_pages:token_revoke", args=[token.pk])).status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_opens_nothing(token_for, alice):
    plain = token_for(alice, "read")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(plain).get("/api/v1/me").status_code == 401


def test_a_deactivated_persons_token_opens_nothing(token_for, bob):
    plain = token_for(bob, "write")
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert ApiClient(plain).post("/api/v1/posts", {"title": "x"}).status_code == 401


@pytest.mark.parametrize(
    "header", ["", "Bearer ", "Bearer pvx_api_faux", "Basic abc", "Bearer pvk_x"]
)
def test_a_missing_or_unknown_token_is_a_401_problem(db, client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_tokens_are_in_the_data_export_and_go_with_the_person(token_for, alice):
    from portevoix.accounts.privacy import person_export

    token_for(alice, "read")
    exported = person_export(person=alice)
    assert exported["api"]["api_tokens"][0]["name"] == "tests"
    assert "digest" not in str(exported["api"])
    alice.delete()
    assert not ApiToken.objects.exists()


def test_admins_see_and_revoke_every_service_token(client_for, token_for, carol, bob):
    other_admin = make_person("dora@example.com", "Dora Admin", "admin")
    plain = token_for(other_admin, "read", kind="service")
    token_for(other_admin, "read")  # personal: hers only
    page = client_for(carol).get(reverse("api_pages:tokens")).content.decode()
    assert page.count("Dora Admin") == 1
    service = ApiToken.objects.get(kind="service")
    client_for(carol).post(reverse("api_pages:token_revoke", args=[service.pk]))
    assert ApiClient(plain).get("/api/v1/me").status_code == 401
    personal = ApiToken.objects.get(kind="personal")
    assert (
        client_for(carol).post(reverse("api_pages:token_revoke", args=[personal.pk])).status_code
        == 404
    )
