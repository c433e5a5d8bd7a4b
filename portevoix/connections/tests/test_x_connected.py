"""X wired end to end: connected through the local X server's authorisation (PKCE, the admin's
app from the settings), a scheduled share published by the worker as exactly one tweet, the
followers read, and tokens refreshed before use (or the person asked to reconnect)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

from portevoix.connections.models import (
    TOKEN_PURPOSE,
    Connection,
    ConnectionStatus,
    NetworkClient,
    Publication,
    PublicationStatus,
)
from portevoix.connections.publishing import publication_schedule, publications_publish_due
from portevoix.connections.readings import connection_followers_read
from portevoix.connections.tests.conftest import next_monday_at, oauth_connect
from portevoix.core.secrets import secret_unseal
from portevoix.notifications.models import Notification
from portevoix.sharing.models import Share

TEXT = "Nos éoliennes tournent : fiers des équipes !"


def connect_x(client_for, person) -> Connection:
    answer, _back = oauth_connect(client_for(person), "x")
    assert answer.status_code == 302 and answer["Location"] == "/connections/"
    return Connection.objects.get(person=person, network="x")


def access_token(connection: Connection) -> str:
    return secret_unseal(connection.access_token_sealed, purpose=TOKEN_PURPOSE)


def refresh_token(connection: Connection) -> str:
    return secret_unseal(connection.refresh_token_sealed, purpose=TOKEN_PURPOSE)


def expire(connection: Connection, x_app) -> None:
    """Two hours later: X no longer takes the access token, and the stored expiry is past."""
    x_app.state.access_tokens[access_token(connection)].expires_at = time.time() - 1
    connection.expires_at = timezone.now() - timedelta(minutes=1)
    connection.save(update_fields=["expires_at"])


def test_x_is_offered_once_the_admin_registered_the_app(client_for, alice, x_app, settings):
    page = client_for(alice).get("/connections/").content.decode()
    assert "Connecter X" in page
    settings.CONNECTIONS_CLIENTS = {**settings.CONNECTIONS_CLIENTS, "x": ("", "")}
    page = client_for(alice).get("/connections/").content.decode()
    assert "Connecter X" not in page


def test_an_ambassador_connects_x_publishes_a_scheduled_share_and_the_followers_are_read(
    client_for, alice, post, x_app, django_capture_on_commit_callbacks
):
    connection = connect_x(client_for, alice)
    assert (connection.account_id, connection.handle) == (
        "1460000000000000001",
        "@camille_portevoix",
    )
    assert access_token(connection) in x_app.state.access_tokens
    assert refresh_token(connection) in x_app.state.refresh_tokens
    assert connection.expires_at is not None
    # Its two-hour access token is renewed before use: no "access ends, reconnect" for X.
    page = client_for(alice).get("/connections/").content.decode()
    assert "@camille_portevoix" in page and "Connecter X" not in page
    assert "prend fin" not in page

    at = next_monday_at(10)
    publication = publication_schedule(person=alice, post=post, network="x", text=TEXT, at=at)
    assert publications_publish_due(now=at - timedelta(minutes=1)) == 0
    assert x_app.state.tweets == []
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_publish_due(now=at) == 1
    assert publications_publish_due(now=at + timedelta(minutes=5)) == 0  # never twice
    [tweet] = x_app.state.tweets
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert tweet.text.startswith(TEXT) and publication.tracked_link.short_url in tweet.text
    assert tweet.author_id == "1460000000000000001"
    assert publication.network_post_id == tweet.id
    assert publication.network_post_url == f"https://x.com/camille_portevoix/status/{tweet.id}"
    assert Share.objects.get().publication == publication

    assert connection_followers_read(connection=connection) == 1234
    connection.refresh_from_db()
    assert connection.followers == 1234 and connection.followers_read_at is not None


def test_a_public_client_without_a_secret_connects(client_for, alice, x_app, settings):
    x_app.state.client_secret = ""
    settings.CONNECTIONS_CLIENTS = {**settings.CONNECTIONS_CLIENTS, "x": ("x-client-id", "")}
    assert "Connecter X" in client_for(alice).get("/connections/").content.decode()
    connection = connect_x(client_for, alice)
    assert access_token(connection) in x_app.state.access_tokens


def test_an_expired_token_is_refreshed_before_publishing(client_for, alice, post, x_app):
    connection = connect_x(client_for, alice)
    old_access, old_refresh = access_token(connection), refresh_token(connection)
    expire(connection, x_app)
    publication = publication_schedule(
        person=alice, post=post, network="x", text=TEXT, at=next_monday_at(10)
    )
    assert publications_publish_due(now=publication.scheduled_at) == 1
    assert len(x_app.state.tweets) == 1
    connection.refresh_from_db()
    # The new tokens are stored, sealed; X rotated the refresh token: the old one is spent.
    assert access_token(connection) != old_access and refresh_token(connection) != old_refresh
    assert refresh_token(connection) in x_app.state.refresh_tokens
    assert old_refresh not in x_app.state.refresh_tokens
    assert connection.expires_at is not None and connection.expires_at > timezone.now()
    assert x_app.state.requests.count("POST /2/oauth2/token") == 2  # the code, then one refresh


def test_an_expired_token_is_refreshed_before_reading_followers(client_for, alice, x_app):
    connection = connect_x(client_for, alice)
    old_refresh = refresh_token(connection)
    expire(connection, x_app)
    assert connection_followers_read(connection=connection) == 1234
    connection.refresh_from_db()
    assert refresh_token(connection) != old_refresh
    assert connection.status == ConnectionStatus.ACTIVE


def test_a_refresh_x_refuses_asks_the_person_to_reconnect(
    client_for, alice, post, x_app, django_capture_on_commit_callbacks
):
    connection = connect_x(client_for, alice)
    expire(connection, x_app)
    x_app.state.refresh_tokens.clear()  # revoked in X's settings
    publication = publication_schedule(
        person=alice, post=post, network="x", text=TEXT, at=next_monday_at(10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_publish_due(now=publication.scheduled_at) == 0
    publication.refresh_from_db()
    connection.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED
    assert connection.status == ConnectionStatus.RECONNECT
    assert x_app.state.tweets == [] and not Share.objects.exists()
    assert Notification.objects.filter(person=alice).count() == 1
    assert Publication.objects.get().attempts == 1  # not retried


def test_the_admin_registers_a_public_x_app_from_the_settings_page(
    client_for, carol, alice, x_app, settings
):
    x_app.state.client_secret = ""
    settings.CONNECTIONS_CLIENTS = {"linkedin": ("", ""), "x": ("", "")}
    page = client_for(carol).get("/connections/settings/").content.decode()
    assert "accepte aussi un client public" in page and "Rien à enregistrer" in page
    answer = client_for(carol).post(
        "/connections/settings/", {"part": "x", "x-client_id": "x-client-id"}
    )
    assert answer.status_code == 302
    row = NetworkClient.objects.get(network="x")
    assert row.client_id == "x-client-id" and not bytes(row.client_secret_sealed)
    connection = connect_x(client_for, alice)
    assert access_token(connection) in x_app.state.access_tokens
