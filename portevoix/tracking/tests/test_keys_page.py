"""Admins manage conversion API keys; the key is shown once and only its hash is kept."""

import hashlib

import pytest
from django.urls import reverse

from portevoix.tracking.conversions import conversion_key_check
from portevoix.tracking.models import ConversionKey

KEYS = reverse("tracking:keys")


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "erin"])
def test_only_admins_reach_the_keys_page(request, client_for, who):
    person = request.getfixturevalue(who)
    assert client_for(person).get(KEYS).status_code == 403
    assert client_for(person).post(KEYS, {"name": "pirate"}).status_code == 403
    assert not ConversionKey.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(KEYS)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_an_admin_creates_a_key_and_sees_it_once(client_for, carol):
    client = client_for(carol)
    response = client.post(KEYS, {"name": "Site carrières"})
    assert response.status_code == 200
    raw = response.context["new_key"]
    assert raw.startswith("pvk_") and raw in response.content.decode()
    key = ConversionKey.objects.get()
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (key.name, key.prefix, key.key_hash)
    assert conversion_key_check(raw) == key
    listing = client.get(KEYS).content.decode()
    assert "Site carrières" in listing and key.prefix in listing and raw not in listing


def test_a_key_needs_a_name(client_for, carol):
    response = client_for(carol).post(KEYS, {"name": ""})
    assert response.status_code == 400
    assert not ConversionKey.objects.exists()


def test_an_admin_revokes_a_key_but_nobody_else_can(client_for, carol, bob):
    client_for(carol).post(KEYS, {"name": "Site"})
    key = ConversionKey.objects.get()
    revoke = reverse("tracking:key_revoke", args=[key.pk])
    assert client_for(bob).post(revoke).status_code == 403
    key.refresh_from_db()
    assert key.revoked_at is None
    assert client_for(carol).get(revoke).status_code == 405
    assert client_for(carol).post(revoke).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert client_for(carol).post(reverse("tracking:key_revoke", args=[9999])).status_code == 404


def test_the_navigation_shows_the_page_to_admins_only(client_for, carol, bob):
    assert KEYS in client_for(carol).get(reverse("core:home")).content.decode()
    assert KEYS not in client_for(bob).get(reverse("core:home")).content.decode()
