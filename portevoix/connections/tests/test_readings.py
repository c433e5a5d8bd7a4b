"""What is read back: followers (replacing the declared figure, labelled), engagement for a few
weeks (shown on the dashboard and my statistics), LinkedIn's token end; and the person's data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from portevoix.accounts.models import NetworkAccount
from portevoix.accounts.participation import ambassador_opt_out
from portevoix.accounts.privacy import person_erase, person_export
from portevoix.connections.models import Connection, EngagementReading, Publication
from portevoix.connections.publishing import publication_attempt, publication_schedule
from portevoix.connections.readings import (
    engagement_read_all,
    expiring_connections_warn,
    followers_read_all,
)
from portevoix.connections.tests.conftest import instance_of, next_monday_at, oauth_connect
from portevoix.notifications.models import Notification


@pytest.fixture
def connected(client_for, alice, mastodon):
    oauth_connect(client_for(alice), "mastodon", instance=instance_of(mastodon))
    return Connection.objects.get(person=alice)


def published(alice, post, *, at=None):
    at = at or next_monday_at(10)
    publication = publication_schedule(
        person=alice, post=post, network="mastodon", text="Fiers", at=at
    )
    publication_attempt(publication_id=publication.pk, now=at)
    publication.refresh_from_db()
    return publication


def test_followers_read_replace_the_declared_figure(client_for, alice, connected, mastodon):
    NetworkAccount.objects.create(person=alice, network="mastodon", followers=12)
    mastodon.followers = 456
    assert followers_read_all() == 1
    account = NetworkAccount.objects.get(person=alice, network="mastodon")
    assert account.followers == 456 and account.followers_read_at is not None
    profile = client_for(alice).get("/accounts/profile/").content.decode()
    assert "lu sur Mastodon" in profile
    assert "456" in client_for(alice).get("/connections/").content.decode()


def test_typing_another_figure_makes_it_declared_again(client_for, alice, connected, mastodon):
    followers_read_all()
    client = client_for(alice)
    form = client.get("/accounts/profile/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "followers_mastodon": 10,
            "full_name": alice.full_name,
            "time_zone": "Europe/Paris",
            "language": "fr",
            "digest_frequency": "weekly",
            # The local server's "127.0.0.1:port", kept at connection, is no host name.
            "mastodon_instance": "mastodon.example",
        }
    )
    assert client.post("/accounts/profile/", data).status_code == 302
    account = NetworkAccount.objects.get(person=alice, network="mastodon")
    assert account.followers == 10 and account.followers_read_at is None


def test_engagement_is_read_for_a_few_weeks_and_shown(
    client_for, alice, carol, post, connected, mastodon, settings
):
    publication = published(alice, post)
    assert publication.status == "published"
    # Read a day after it went out (the dashboard's default period ends today).
    Publication.objects.update(published_at=timezone.now() - timedelta(days=1))
    assert engagement_read_all() == 1
    reading = EngagementReading.objects.get()
    assert (reading.likes, reading.reposts, reading.replies) == (4, 2, 1)
    [exported] = person_export(person=alice)["connections"]["publications"]
    assert [(r["likes"], r["reposts"], r["replies"]) for r in exported["engagement_readings"]] == [
        (4, 2, 1)
    ]
    mine = client_for(alice).get("/analytics/mine/").content.decode()
    assert "lu sur Mastodon" in mine and "<td>4</td>" in mine
    dashboard = client_for(carol).get("/analytics/").content.decode()
    assert 'id="network-engagement"' in dashboard and "<td>4</td>" in dashboard
    Publication.objects.update(
        published_at=timezone.now() - timedelta(days=settings.CONNECTIONS_ENGAGEMENT_DAYS + 1)
    )
    assert engagement_read_all() == 0


def test_a_linkedin_token_near_its_end_asks_to_reconnect(
    client_for, alice, linkedin, django_capture_on_commit_callbacks
):
    linkedin.partner_refresh = False
    oauth_connect(client_for(alice), "linkedin")
    connection = Connection.objects.get()
    connection.expires_at = timezone.now() + timedelta(days=3)
    connection.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert expiring_connections_warn() == 1
    assert expiring_connections_warn() == 0  # told once
    notification = Notification.objects.get(person=alice)
    assert "LinkedIn" in notification.title
    assert (
        "reconnect" in client_for(alice).get("/connections/").content.decode().lower()
        or "Reconnect" in notification.body
    )


def test_a_refreshable_token_is_refreshed_instead(client_for, alice, linkedin):
    oauth_connect(client_for(alice), "linkedin")
    connection = Connection.objects.get()
    connection.expires_at = timezone.now() + timedelta(days=3)
    connection.save()
    assert expiring_connections_warn() == 0
    connection.refresh_from_db()
    assert connection.expires_at > timezone.now() + timedelta(days=59)
    assert not Notification.objects.exists()


def test_the_export_lists_connections_without_tokens(alice, post, connected, mastodon):
    publication = published(alice, post)
    from portevoix.connections.connecting import credentials_of

    token = credentials_of(connected).access_token
    exported = json.dumps(person_export(person=alice), default=str)
    assert connected.handle in exported and publication.network_post_url in exported
    assert token not in exported and "sealed" not in exported


def test_erasure_revokes_and_deletes(alice, connected, mastodon):
    person_erase(person=alice)
    assert not Connection.objects.exists()
    assert len(mastodon.revoked) == 1


def test_erasure_leaves_no_name_in_the_audit_entry_of_the_disconnection(alice, connected, mastodon):
    """The disconnection made by the erasure is recorded too: reduced like the others."""
    from portevoix.core.audit import audit_verify
    from portevoix.core.models import AuditEntry

    person_erase(person=alice)
    removed = AuditEntry.objects.get(action="connection_removed")
    assert (removed.target, removed.erased) == ("example.com", True)
    for entry in AuditEntry.objects.all():
        assert "Alice" not in f"{entry.actor_name} {entry.target} {entry.details}"
    assert list(audit_verify()) == []


def test_opting_out_ends_connections_and_scheduled_shares(
    alice, post, connected, mastodon, django_capture_on_commit_callbacks
):
    publication = publication_schedule(
        person=alice, post=post, network="mastodon", text="Fiers", at=next_monday_at(10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        ambassador_opt_out(person=alice)
    assert not Connection.objects.exists() and len(mastodon.revoked) == 1
    publication.refresh_from_db()
    assert publication.status == "cancelled"
