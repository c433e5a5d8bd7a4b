"""Connecting and disconnecting from the profile, through the real OAuth round trip with the
local servers: state bound to the session and used once, PKCE, tokens sealed; bad input."""

from __future__ import annotations

import pytest

from portevoix.connections.models import TOKEN_PURPOSE, Connection, MastodonApp
from portevoix.connections.tests.conftest import instance_of, oauth_connect
from portevoix.core.audit import AuditEntry
from portevoix.core.secrets import secret_unseal


def test_an_ambassador_connects_mastodon_and_the_token_is_sealed(client_for, alice, mastodon):
    client = client_for(alice)
    answer, _back = oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    assert answer.status_code == 302 and answer["Location"] == "/connections/"
    connection = Connection.objects.get(person=alice, network="mastodon")
    token = secret_unseal(connection.access_token_sealed, purpose=TOKEN_PURPOSE)
    assert token in mastodon.tokens
    assert token.encode() not in bytes(connection.access_token_sealed)
    assert connection.handle == f"@alice@{instance_of(mastodon)}"
    page = client.get("/connections/").content.decode()
    assert connection.handle in page and token not in page
    assert AuditEntry.objects.filter(action="connection_added").exists()


def test_the_app_is_registered_once_per_instance(client_for, alice, bob, mastodon):
    oauth_connect(client_for(alice), "mastodon", instance=instance_of(mastodon))
    oauth_connect(client_for(bob), "mastodon", instance=instance_of(mastodon))
    assert len(mastodon.apps) == 1 and MastodonApp.objects.count() == 1
    assert Connection.objects.filter(network="mastodon").count() == 2


def test_a_replayed_answer_is_refused_and_changes_nothing(client_for, alice, mastodon):
    client = client_for(alice)
    _answer, back = oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    Connection.objects.all().delete()
    replay = client.get(back, follow=True)
    assert "ne correspond à aucune connexion que vous avez commencée ici" in replay.content.decode()
    assert not Connection.objects.exists()


def test_a_state_that_does_not_match_is_refused(client_for, alice, mastodon):
    client = client_for(alice)
    answer = client.post("/connections/mastodon/connect/", {"instance": instance_of(mastodon)})
    from urllib.parse import parse_qs, urlsplit

    from portevoix.connections.tests.conftest import authorize

    query = parse_qs(urlsplit(authorize(answer["Location"])).query)
    refused = client.get(
        "/connections/mastodon/callback/",
        {"code": query["code"][0], "state": "forged"},
        follow=True,
    )
    assert (
        "ne correspond à aucune connexion que vous avez commencée ici" in refused.content.decode()
    )
    assert not Connection.objects.exists()
    assert mastodon.tokens == {}  # the code was never sent to the network


def test_a_state_from_another_session_is_refused(client_for, alice, bob, mastodon, client):
    from django.test import Client

    alice_client = client_for(alice)
    answer = alice_client.post(
        "/connections/mastodon/connect/", {"instance": instance_of(mastodon)}
    )
    from portevoix.connections.tests.conftest import authorize

    back = authorize(answer["Location"])
    bob_client = Client()
    bob_client.force_login(bob)
    from urllib.parse import urlsplit

    parts = urlsplit(back)
    refused = bob_client.get(f"{parts.path}?{parts.query}", follow=True)
    assert "ne correspond à aucune connexion" in refused.content.decode()
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    "instance",
    [
        "http://127.0.0.1",
        "localhost",
        "10.0.0.8",
        "127.0.0.1",
        "[::1]",
        "https://mastodon.social/x",
    ],
)
def test_an_instance_that_is_not_a_public_host_is_refused(client_for, alice, instance, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    answer = client_for(alice).post(
        "/connections/mastodon/connect/", {"instance": instance}, follow=True
    )
    page = answer.content.decode()
    assert (
        "seulement le nom de votre instance" in page
        or "private or reserved" in page
        or "privée ou réservée" in page
    ), page[:2000]
    assert not MastodonApp.objects.exists()


def test_a_host_name_that_points_to_the_loopback_is_refused_by_the_guard(
    client_for, alice, settings
):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    answer = client_for(alice).post(
        "/connections/mastodon/connect/", {"instance": "localhost.localdomain."}, follow=True
    )
    assert not MastodonApp.objects.exists()
    assert answer.redirect_chain[-1][0] == "/connections/"


def test_disconnecting_revokes_and_deletes(client_for, alice, mastodon):
    client = client_for(alice)
    oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    connection = Connection.objects.get()
    token = secret_unseal(connection.access_token_sealed, purpose=TOKEN_PURPOSE)
    answer = client.post(f"/connections/{connection.pk}/disconnect/", follow=True)
    assert "son accès révoqué" in answer.content.decode()
    assert mastodon.revoked == [token] and not Connection.objects.exists()


def test_nobody_disconnects_someone_else(client_for, alice, bob, mastodon):
    oauth_connect(client_for(alice), "mastodon", instance=instance_of(mastodon))
    connection = Connection.objects.get()
    assert client_for(bob).post(f"/connections/{connection.pk}/disconnect/").status_code == 404
    assert Connection.objects.exists() and mastodon.revoked == []


def test_linkedin_needs_the_admins_app(client_for, alice, settings):
    settings.CONNECTIONS_CLIENTS = {"linkedin": ("", ""), "x": ("", "")}
    page = client_for(alice).get("/connections/").content.decode()
    assert "Connecter LinkedIn" not in page and "Connecter Mastodon" in page
    answer = client_for(alice).post("/connections/linkedin/connect/", follow=True)
    assert "pas configuré ici" in answer.content.decode()


def test_an_ambassador_connects_linkedin(client_for, alice, linkedin):
    client = client_for(alice)
    answer, _back = oauth_connect(client, "linkedin")
    assert answer.status_code == 302
    connection = Connection.objects.get(network="linkedin")
    assert connection.account_id == "urn:li:person:782bbtaQ" and connection.expires_at


def test_someone_who_has_not_opted_in_cannot_connect(client_for, erin, mastodon):
    answer = client_for(erin).post(
        "/connections/mastodon/connect/", {"instance": instance_of(mastodon)}, follow=True
    )
    assert not MastodonApp.objects.exists() and not Connection.objects.exists()
    assert answer.redirect_chain[-1][0] == "/connections/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/connections/", "/connections/settings/"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/accounts/login" in answer["Location"]
    assert client.post("/connections/mastodon/connect/").status_code == 302
