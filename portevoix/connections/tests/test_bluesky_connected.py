"""Bluesky wired end to end against the real test network (PLC directory, PDS, AppView): a
person connects through the page with their handle and an app password (never kept), the
worker publishes a scheduled share as one post with its link facet, the followers are read,
an expired session is refreshed before use, and bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.connections.models import (
    TOKEN_PURPOSE,
    Connection,
    ConnectionStatus,
    PublicationStatus,
)
from portevoix.connections.publishing import publication_schedule, publications_publish_due
from portevoix.connections.readings import connection_followers_read
from portevoix.connections.testing.bluesky import free_port
from portevoix.connections.tests.conftest import eventually, next_monday_at
from portevoix.core.audit import AuditEntry
from portevoix.core.secrets import secret_unseal
from portevoix.notifications.models import Notification

TEXT = "Déjà lu ? Nos éoliennes tournent 🎉"


def connect(client, handle: str, password: str):
    return client.post(
        "/connections/bluesky/connect/", {"handle": handle, "app_password": password}, follow=True
    )


def tokens(connection: Connection) -> tuple[str, str]:
    return (
        secret_unseal(connection.access_token_sealed, purpose=TOKEN_PURPOSE),
        secret_unseal(connection.refresh_token_sealed, purpose=TOKEN_PURPOSE),
    )


def test_bluesky_is_offered_without_any_admin_app(client_for, alice, settings):
    settings.CONNECTIONS_CLIENTS = {"linkedin": ("", ""), "x": ("", "")}
    page = client_for(alice).get("/connections/").content.decode()
    assert "Connecter Bluesky" in page and 'name="app_password"' in page
    assert "jamais votre mot de passe principal" in page


def test_connect_with_an_app_password_then_publish_through_the_worker_and_read_followers(
    client_for, alice, post, bsky, django_capture_on_commit_callbacks
):
    account, follower = bsky.account("alice"), bsky.account("bob")
    password = account.app_password()
    client = client_for(alice)
    answer = connect(client, f"@{account.handle}", password)
    page = answer.content.decode()
    assert answer.redirect_chain[-1][0] == "/connections/"
    assert f"Votre compte Bluesky {account.handle} est connecté" in page
    assert password not in page
    connection = Connection.objects.get(person=alice, network="bluesky")
    assert (connection.account_id, connection.server) == (account.did, bsky.pds)
    access, refresh = tokens(connection)
    assert access and refresh and password not in (access, refresh)
    assert access.encode() not in bytes(connection.access_token_sealed)
    assert connection.expires_at is not None
    entry = AuditEntry.objects.get(action="connection_added")
    assert password not in str(entry.__dict__)

    at = next_monday_at(10)
    publication = publication_schedule(person=alice, post=post, network="bluesky", text=TEXT, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_publish_due(now=at) == 1
    assert publications_publish_due(now=at + timedelta(minutes=5)) == 0
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    [stored] = account.records("app.bsky.feed.post")
    assert stored["uri"] == publication.network_post_id
    record = stored["value"]
    link = publication.tracked_link.short_url
    assert record["text"] == f"{TEXT}\n\n{link}"
    [facet] = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert record["text"].encode()[start:end].decode() == link
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": link}]
    assert record["embed"]["external"]["uri"] == link

    follower.follow(account)
    connection.refresh_from_db()
    count = eventually(lambda: connection_followers_read(connection=connection), lambda n: n == 1)
    assert count == 1
    connection.refresh_from_db()
    assert connection.followers == 1 and connection.followers_read_at is not None


def test_an_expired_session_is_refreshed_before_publishing_and_reading(
    client_for, alice, post, bsky
):
    account = bsky.account("alice")
    connect(client_for(alice), account.handle, account.app_password())
    connection = Connection.objects.get(person=alice)
    old_access, old_refresh = tokens(connection)
    connection.expires_at = timezone.now() - timedelta(minutes=1)
    connection.save(update_fields=["expires_at"])
    publication = publication_schedule(
        person=alice, post=post, network="bluesky", text=TEXT, at=next_monday_at(10)
    )
    # The worker runs now: the stored expiry, not the scheduled time, calls for the refresh.
    publication.next_attempt_at = timezone.now()
    publication.save(update_fields=["next_attempt_at"])
    assert publications_publish_due() == 1
    connection.refresh_from_db()
    new_access, new_refresh = tokens(connection)
    assert new_refresh != old_refresh and new_access
    assert connection.expires_at is not None and connection.expires_at > timezone.now()
    assert len(account.records("app.bsky.feed.post")) == 1

    connection.expires_at = timezone.now() - timedelta(minutes=1)
    connection.save(update_fields=["expires_at"])
    assert connection_followers_read(connection=connection) == 0
    connection.refresh_from_db()
    assert tokens(connection)[1] != new_refresh
    assert connection.status == ConnectionStatus.ACTIVE


def test_a_deleted_app_password_asks_to_reconnect_at_the_refresh(
    client_for, alice, post, bsky, django_capture_on_commit_callbacks
):
    account = bsky.account("alice")
    connect(client_for(alice), account.handle, account.app_password())
    connection = Connection.objects.get(person=alice)
    bsky.xrpc(
        "com.atproto.server.revokeAppPassword",
        token=account.access_token,
        payload={"name": "Portevoix"},
    )
    connection.expires_at = timezone.now() - timedelta(minutes=1)
    connection.save(update_fields=["expires_at"])
    at = next_monday_at(10)
    publication = publication_schedule(person=alice, post=post, network="bluesky", text=TEXT, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_publish_due(now=at) == 0
    publication.refresh_from_db()
    connection.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED and publication.attempts == 1
    assert connection.status == ConnectionStatus.RECONNECT
    assert Notification.objects.filter(person=alice).count() == 1
    assert account.records("app.bsky.feed.post") == []


def test_an_unknown_handle_is_refused_and_changes_nothing(client_for, alice, bsky):
    page = connect(client_for(alice), "nobody-here.test", "abcd-efgh-ijkl-mnop").content.decode()
    assert "Aucun compte Bluesky n’a l’identifiant nobody-here.test" in page
    assert not Connection.objects.exists() and not AuditEntry.objects.exists()


def test_a_wrong_app_password_is_refused_and_changes_nothing(client_for, alice, bsky):
    account = bsky.account("alice")
    account.app_password()
    page = connect(client_for(alice), account.handle, "abcd-efgh-ijkl-mnop").content.decode()
    assert "Bluesky a refusé cet identifiant et ce mot de passe d’application" in page
    assert "abcd-efgh-ijkl-mnop" not in page
    assert not Connection.objects.exists()


def test_an_unreachable_server_is_said_and_changes_nothing(client_for, alice, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.CONNECTIONS_TIMEOUT = 1
    settings.BLUESKY_RESOLVER_URL = f"http://127.0.0.1:{free_port()}"
    page = connect(client_for(alice), "alice.example.com", "abcd-efgh-ijkl-mnop").content.decode()
    assert "Bluesky n’a pas pu être joint" in page
    assert not Connection.objects.exists()


def test_a_form_without_the_app_password_is_refused(client_for, alice, settings):
    page = connect(client_for(alice), "alice.example.com", "").content.decode()
    assert "Indiquez votre identifiant Bluesky et un mot de passe d’application" in page
    assert not Connection.objects.exists()


def test_not_a_handle_is_refused_before_any_request(client_for, alice, settings):
    settings.BLUESKY_RESOLVER_URL = "https://resolver.invalid"
    page = connect(client_for(alice), "http://127.0.0.1/x", "abcd-efgh").content.decode()
    assert "n’est pas un identifiant Bluesky" in page
    assert not Connection.objects.exists()


def test_someone_who_has_not_opted_in_cannot_connect(client_for, erin, settings):
    settings.BLUESKY_RESOLVER_URL = "https://resolver.invalid"
    page = connect(client_for(erin), "erin.example.com", "abcd-efgh").content.decode()
    assert "rejoignez le programme" in page.lower() or "volontaire" in page
    assert not Connection.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    answer = client.post(
        "/connections/bluesky/connect/", {"handle": "a.example.com", "app_password": "x"}
    )
    assert answer.status_code == 302 and "/accounts/login" in answer["Location"]
    assert not Connection.objects.exists()
