"""The pages: the share page's connected buttons, publishing now (with confirmation outside the
sharing hours) and scheduling in the person's time zone, "my shares", the admin's settings,
and who may do what."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import make_person
from portevoix.connections.clients import network_client
from portevoix.connections.models import (
    CLIENT_SECRET_PURPOSE,
    Connection,
    NetworkClient,
    Publication,
)
from portevoix.connections.tests.conftest import instance_of, next_monday_at, oauth_connect
from portevoix.core.secrets import secret_unseal
from portevoix.sharing.models import Share, SharingRules

TEXT = "Nos éoliennes tournent : fiers des équipes !"


@pytest.fixture
def connected(client_for, alice, mastodon):
    client = client_for(alice)
    oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    return client


def test_the_share_page_offers_publishing_only_once_connected(client_for, alice, post, mastodon):
    client = client_for(alice)
    assert "Publier maintenant" not in client.get(f"/share/{post.pk}/mastodon/").content.decode()
    oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    page = client.get(f"/share/{post.pk}/mastodon/").content.decode()
    assert "Publier maintenant" in page and "Programmer" in page and "À un bon moment" in page
    assert f'formaction="/connections/publish/{post.pk}/mastodon/"' in page


def test_publishing_now_outside_the_hours_asks_then_publishes(
    connected, alice, post, mastodon, django_capture_on_commit_callbacks
):
    SharingRules.objects.create(weekdays="", hours_start=8, hours_end=19)  # never open
    url = f"/connections/publish/{post.pk}/mastodon/"
    asked = connected.post(url, {"text": TEXT, "action": "now"})
    assert asked.status_code == 409
    assert "Publier maintenant quand même" in asked.content.decode()
    assert not Publication.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = connected.post(url, {"text": TEXT, "action": "now", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/share/mine/"
    publication = Publication.objects.get()
    assert publication.status == "published" and len(mastodon.statuses) == 1
    mine = connected.get("/share/mine/").content.decode()
    assert publication.network_post_url in mine and "Voir la publication" in mine
    assert Share.objects.filter(person=alice).count() == 1


def test_a_schedule_is_read_in_the_persons_time_zone(connected, alice, post):
    alice.time_zone = "America/New_York"
    alice.save()
    monday = next_monday_at(10).astimezone(ZoneInfo("America/New_York")).date()
    answer = connected.post(
        f"/connections/publish/{post.pk}/mastodon/",
        {"text": TEXT, "action": "schedule", "publish_at": f"{monday.isoformat()}T09:00"},
    )
    assert answer.status_code == 302
    scheduled = Publication.objects.get().scheduled_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (scheduled.hour, scheduled.minute) == (15, 0)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "schedule", "publish_at": "2020-01-06T10:00"}, "déjà passé"),
        ({"action": "schedule", "publish_at": ""}, "Choisissez la date"),
        ({"action": "schedule", "publish_at": "demain"}, "date"),
        ({"action": "launch"}, "Sélectionnez un choix valide"),
        ({"action": "schedule", "publish_at": "NEXT_MONDAY_21"}, "en dehors des heures de partage"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_scheduled(connected, post, data, message):
    if data.get("publish_at") == "NEXT_MONDAY_21":
        data["publish_at"] = next_monday_at(21).strftime("%Y-%m-%dT%H:%M")
    answer = connected.post(f"/connections/publish/{post.pk}/mastodon/", {"text": TEXT, **data})
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Publication.objects.exists()


def test_publishing_without_a_connection_is_refused(client_for, alice, post):
    answer = client_for(alice).post(
        f"/connections/publish/{post.pk}/mastodon/", {"text": TEXT, "action": "now"}
    )
    assert answer.status_code == 400 and not Publication.objects.exists()


def test_cancelling_from_my_shares(connected, post):
    connected.post(
        f"/connections/publish/{post.pk}/mastodon/",
        {
            "text": TEXT,
            "action": "schedule",
            "publish_at": next_monday_at(11).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    publication = Publication.objects.get()
    page = connected.get("/share/mine/").content.decode()
    assert f"/connections/publications/{publication.pk}/cancel/" in page
    answer = connected.post(
        f"/connections/publications/{publication.pk}/cancel/", {"next": "my_shares"}
    )
    assert answer["Location"] == "/share/mine/"
    publication.refresh_from_db()
    assert publication.status == "cancelled"


def test_someone_elses_publication_cannot_be_cancelled(connected, client_for, bob, post):
    connected.post(
        f"/connections/publish/{post.pk}/mastodon/",
        {
            "text": TEXT,
            "action": "schedule",
            "publish_at": next_monday_at(11).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    publication = Publication.objects.get()
    assert (
        client_for(bob).post(f"/connections/publications/{publication.pk}/cancel/").status_code
        == 404
    )
    publication.refresh_from_db()
    assert publication.status == "scheduled"


def test_alumni_publish_only_posts_open_to_them(client_for, dave, post, mastodon):
    client = client_for(dave)
    oauth_connect(client, "mastodon", instance=instance_of(mastodon))
    answer = client.post(
        f"/connections/publish/{post.pk}/mastodon/",
        {
            "text": TEXT,
            "action": "schedule",
            "publish_at": next_monday_at(11).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert answer.status_code in (400, 404) and not Publication.objects.exists()


def test_only_admins_open_the_settings(client_for, alice, bob, carol, dave):
    from django.test import Client

    assert client_for(carol).get("/connections/settings/").status_code == 200
    for person in (alice, bob, dave):
        assert client_for(person).get("/connections/settings/").status_code == 403
    assert Client().get("/connections/settings/").status_code == 302


def test_the_admin_sets_linkedins_app_with_a_sealed_secret(client_for, carol, settings):
    settings.CONNECTIONS_CLIENTS = {"linkedin": ("", ""), "x": ("", "")}
    client = client_for(carol)
    answer = client.post(
        "/connections/settings/",
        {
            "part": "linkedin",
            "linkedin-client_id": "86abc",
            "linkedin-client_secret": "s3cret-value",
        },
    )
    assert answer.status_code == 302
    row = NetworkClient.objects.get(network="linkedin")
    assert b"s3cret-value" not in bytes(row.client_secret_sealed)
    assert secret_unseal(row.client_secret_sealed, purpose=CLIENT_SECRET_PURPOSE) == "s3cret-value"
    assert "s3cret-value" not in client.get("/connections/settings/").content.decode()
    assert network_client("linkedin").client_id == "86abc"
    # The environment wins over the page.
    settings.CONNECTIONS_CLIENTS = {"linkedin": ("env-id", "env-secret"), "x": ("", "")}
    assert network_client("linkedin").client_id == "env-id"


def test_a_new_app_without_its_secret_is_refused(client_for, carol):
    answer = client_for(carol).post(
        "/connections/settings/", {"part": "linkedin", "linkedin-client_id": "86abc"}
    )
    assert answer.status_code == 400 and "Donnez le secret client" in answer.content.decode()
    assert not NetworkClient.objects.exists()


def test_the_admin_sets_the_sharing_rules(client_for, carol):
    client = client_for(carol)
    answer = client.post(
        "/connections/settings/",
        {
            "part": "rules",
            "hours_start": 9,
            "hours_end": 18,
            "weekdays": ["0", "2", "4"],
            "daily_limit": 3,
            "post_hour_limit": 5,
        },
    )
    assert answer.status_code == 302
    rules = SharingRules.objects.get()
    assert (
        rules.hours_start,
        rules.hours_end,
        rules.weekdays,
        rules.daily_limit,
        rules.post_hour_limit,
    ) == (9, 18, "024", 3, 5)
    refused = client.post(
        "/connections/settings/",
        {
            "part": "rules",
            "hours_start": 18,
            "hours_end": 9,
            "weekdays": ["0"],
            "daily_limit": -1,
            "post_hour_limit": 5,
        },
    )
    assert refused.status_code == 400
    assert SharingRules.objects.get().hours_start == 9


def test_the_profile_shows_the_connections_card(connected):
    page = connected.get("/accounts/profile/").content.decode()
    assert 'id="connected-accounts"' in page and "Gérer mes comptes connectés" in page


def test_a_scheduled_share_goes_out_through_the_periodic_task(connected, post, mastodon):
    from portevoix.connections.tasks import publications_due_publish

    connected.post(
        f"/connections/publish/{post.pk}/mastodon/",
        {
            "text": TEXT,
            "action": "schedule",
            "publish_at": next_monday_at(11).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert publications_due_publish.call_local() == 0  # not yet
    Publication.objects.update(
        next_attempt_at=next_monday_at(11) - timedelta(days=30),
        scheduled_at=next_monday_at(11) - timedelta(days=30),
    )
    assert publications_due_publish.call_local() == 1
    assert len(mastodon.statuses) == 1


def test_an_editor_who_opted_in_may_connect(client_for, bob, mastodon):
    answer, _back = oauth_connect(client_for(bob), "mastodon", instance=instance_of(mastodon))
    assert Connection.objects.filter(person=bob).exists()


def test_a_deactivated_person_cannot_connect(db, client_for, mastodon):
    person = make_person("gone@example.com", "Gone", "ambassador")
    client = client_for(person)
    person.is_active = False
    person.save()
    client.post("/connections/mastodon/connect/", {"instance": instance_of(mastodon)})
    assert not Connection.objects.exists() and mastodon.apps == {}
