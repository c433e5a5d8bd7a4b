"""Publishing through a connection: schedule, the worker at the time, retries with back-off
and Retry-After, exactly one post, reconnect with a notification, confirmed shares earning
their points, cancelling (by the person, or by the worker when the person or the post no longer
allows the share), pacing (sharing hours, daily limit, per-post hourly spread), and the
failures in the person's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portevoix.accounts.models import Role
from portevoix.accounts.people import person_deactivate
from portevoix.connections.models import (
    Connection,
    ConnectionStatus,
    Publication,
    PublicationStatus,
)
from portevoix.connections.publishing import (
    ConfirmationNeeded,
    PublishError,
    publication_attempt,
    publication_cancel,
    publication_good_time,
    publication_schedule,
)
from portevoix.connections.tests.conftest import instance_of, next_monday_at, oauth_connect
from portevoix.connections.tests.servers import Failure
from portevoix.content.workflow import post_archive
from portevoix.gamification.models import Action, PointEntry
from portevoix.notifications.models import Notification
from portevoix.sharing.models import Share, SharingRules

TEXT = "Nos éoliennes tournent : fiers des équipes !"


@pytest.fixture
def connected(client_for, alice, mastodon):
    oauth_connect(client_for(alice), "mastodon", instance=instance_of(mastodon))
    return Connection.objects.get(person=alice)


def schedule(person, post, **kwargs):
    kwargs.setdefault("network", "mastodon")
    kwargs.setdefault("text", TEXT)
    return publication_schedule(person=person, post=post, **kwargs)


def test_a_scheduled_share_goes_out_at_its_time_once_and_earns_its_points(
    alice, post, connected, mastodon, django_capture_on_commit_callbacks
):
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    assert publication_attempt(publication_id=publication.pk, now=at - timedelta(minutes=1)) == ""
    assert mastodon.statuses == {}
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_attempt(publication_id=publication.pk, now=at) == "published"
    publication.refresh_from_db()
    status = mastodon.statuses[publication.network_post_id]
    assert (
        status["content"].startswith(TEXT)
        and publication.tracked_link.short_url in status["content"]
    )
    assert publication.network_post_url == status["url"]
    share = Share.objects.get()
    assert share.publication == publication and share.created_at == at
    entry = PointEntry.objects.get(person=alice, action=Action.SHARE)
    assert entry.source == f"link:{publication.tracked_link_id}"
    # Run again (a second worker, a task delivered twice): nothing more goes out.
    assert publication_attempt(publication_id=publication.pk, now=at + timedelta(minutes=5)) == ""
    assert (
        len(mastodon.statuses) == 1 and PointEntry.objects.filter(action=Action.SHARE).count() == 1
    )


def test_a_500_then_success_posts_exactly_once_even_when_the_key_is_ignored(
    alice, post, connected, mastodon
):
    mastodon.honour_idempotency = False
    mastodon.failures = [Failure(500)]
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    assert publication_attempt(publication_id=publication.pk, now=at) == "scheduled"
    publication.refresh_from_db()
    assert publication.attempts == 1 and publication.next_attempt_at == at + timedelta(minutes=1)
    assert publication_attempt(publication_id=publication.pk, now=at + timedelta(seconds=30)) == ""
    assert (
        publication_attempt(publication_id=publication.pk, now=at + timedelta(minutes=1))
        == "published"
    )
    assert publication_attempt(publication_id=publication.pk, now=at + timedelta(minutes=9)) == ""
    assert len(mastodon.statuses) == 1


def test_a_429_waits_as_long_as_the_network_asks(alice, post, connected, mastodon):
    mastodon.failures = [Failure(429, {"Retry-After": "900"})]
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    publication_attempt(publication_id=publication.pk, now=at)
    publication.refresh_from_db()
    assert publication.next_attempt_at == at + timedelta(seconds=900)
    assert publication_attempt(publication_id=publication.pk, now=at + timedelta(minutes=14)) == ""
    assert (
        publication_attempt(publication_id=publication.pk, now=at + timedelta(minutes=15))
        == "published"
    )


def test_transient_failures_end_after_the_last_attempt(alice, post, connected, mastodon, settings):
    settings.CONNECTIONS_MAX_ATTEMPTS = 3
    mastodon.failures = [Failure(503)] * 5
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    moment = at
    for _attempt in range(3):
        publication_attempt(publication_id=publication.pk, now=moment)
        publication.refresh_from_db()
        moment = publication.next_attempt_at
    assert publication.status == PublicationStatus.FAILED and publication.attempts == 3
    assert mastodon.statuses == {}


def test_a_refused_token_marks_the_connection_and_tells_the_person(
    alice, post, connected, mastodon, django_capture_on_commit_callbacks
):
    mastodon.tokens.clear()  # revoked on the instance
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_attempt(publication_id=publication.pk, now=at) == "failed"
    connected.refresh_from_db()
    assert connected.status == ConnectionStatus.RECONNECT
    notification = Notification.objects.get(person=alice)
    assert "Mastodon" in notification.title and notification.url == "/connections/"
    assert not PointEntry.objects.filter(action=Action.SHARE).exists()
    assert "À reconnecter" in _page_of(alice)


def _page_of(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client.get("/connections/").content.decode()


def test_an_expired_linkedin_token_is_refreshed_before_publishing(
    client_for, alice, post, linkedin
):
    oauth_connect(client_for(alice), "linkedin")
    connection = Connection.objects.get(network="linkedin")
    linkedin.expire_all()
    connection.expires_at = timezone.now() - timedelta(minutes=1)
    connection.save()
    at = next_monday_at(10)
    publication = publication_schedule(
        person=alice, post=post, network="linkedin", text="Fiers !", at=at
    )
    assert publication_attempt(publication_id=publication.pk, now=at) == "published"
    connection.refresh_from_db()
    assert connection.expires_at > timezone.now() + timedelta(days=59)
    assert len(linkedin.posts) == 1 and linkedin.posts[0]["content"]["article"]["source"].endswith(
        publication.tracked_link.code
    )


def test_a_schedule_in_the_past_is_refused(alice, post, connected):
    with pytest.raises(PublishError, match="déjà passé"):
        schedule(alice, post, at=timezone.now() - timedelta(minutes=5))
    assert not Publication.objects.exists()


def test_a_schedule_outside_the_sharing_hours_is_refused(alice, post, connected):
    with pytest.raises(PublishError, match="en dehors des heures de partage"):
        schedule(alice, post, at=next_monday_at(21))
    with pytest.raises(PublishError, match="en dehors des heures de partage"):
        schedule(alice, post, at=next_monday_at(10) + timedelta(days=6))  # a Sunday
    assert not Publication.objects.exists()


def test_publishing_now_outside_the_hours_asks_for_confirmation(alice, post, connected):
    sunday = next_monday_at(10) + timedelta(days=6)
    with pytest.raises(ConfirmationNeeded):
        schedule(alice, post, now=sunday)
    assert not Publication.objects.exists()
    publication = schedule(alice, post, now=sunday, confirmed=True)
    assert publication.scheduled_at == sunday


def test_the_daily_limit_counts_scheduled_and_share_page_shares(alice, post, connected):
    SharingRules.objects.create(daily_limit=2)
    at = next_monday_at(10)
    schedule(alice, post, at=at)
    schedule(alice, post, at=at + timedelta(hours=1))
    with pytest.raises(PublishError, match="limite de 2 partages par jour"):
        schedule(alice, post, at=at + timedelta(hours=2))
    assert Publication.objects.count() == 2
    schedule(alice, post, at=at + timedelta(days=1))  # the next day has room


def test_the_share_page_refuses_shares_past_the_daily_limit(client_for, alice, post):
    SharingRules.objects.create(daily_limit=1)
    client = client_for(alice)
    first = client.post(f"/share/{post.pk}/linkedin/", {"text": "Un"})
    assert first.status_code == 302
    second = client.post(f"/share/{post.pk}/linkedin/", {"text": "Deux"})
    assert "limite de 1 partages par jour sur LinkedIn" in second.content.decode()
    assert Share.objects.count() == 1


def test_one_post_is_spread_over_the_hours(alice, bob, post, connected, client_for, mastodon):
    SharingRules.objects.create(post_hour_limit=1)
    at = next_monday_at(10)
    schedule(alice, post, at=at)
    oauth_connect(client_for(bob), "mastodon", instance=instance_of(mastodon))
    with pytest.raises(PublishError, match="publient déjà ce post dans cette heure"):
        publication_schedule(
            person=bob, post=post, network="mastodon", text=TEXT, at=at + timedelta(minutes=20)
        )
    good = publication_good_time(post=post, after=at)
    assert good == at + timedelta(hours=1)
    publication = schedule(bob, post, good_time=True, now=at)
    assert publication.scheduled_at == at + timedelta(hours=1)


def test_a_good_time_is_inside_the_sharing_hours(alice, post, connected):
    friday_evening = next_monday_at(20) + timedelta(days=4)
    publication = schedule(alice, post, good_time=True, now=friday_evening)
    assert publication.scheduled_at == next_monday_at(8) + timedelta(days=7)


def test_cancelling_a_scheduled_share_until_it_goes_out(alice, bob, post, connected, mastodon):
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    assert not publication_cancel(publication=publication, person=bob)
    assert publication_cancel(publication=publication, person=alice)
    assert publication_attempt(publication_id=publication.pk, now=at) == ""
    assert mastodon.statuses == {}
    later = schedule(alice, post, at=at)
    publication_attempt(publication_id=later.pk, now=at)
    assert not publication_cancel(publication=later, person=alice)


def test_a_text_that_breaks_the_rules_is_refused(alice, post, connected):
    with pytest.raises(PublishError, match="Mastodon.*500"):
        publication_schedule(
            person=alice, post=post, network="mastodon", text="a" * 600, at=next_monday_at(10)
        )
    assert not Publication.objects.exists()


def test_without_a_connection_nothing_is_scheduled(alice, post):
    with pytest.raises(PublishError, match="Connectez d’abord ce réseau"):
        schedule(alice, post, at=next_monday_at(10))


def test_an_answer_we_cannot_read_is_never_sent_again(alice, post, connected, mastodon):
    mastodon.failures = [Failure(200)]  # 200 without a status: the post may exist
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    assert publication_attempt(publication_id=publication.pk, now=at) == "failed"
    assert publication_attempt(publication_id=publication.pk, now=at + timedelta(hours=1)) == ""
    assert len([r for r in mastodon.requests if r[1] == "/api/v1/statuses"]) == 1


def test_a_scheduled_share_of_a_post_archived_since_is_cancelled_without_going_out(
    alice, bob, post, connected, mastodon, django_capture_on_commit_callbacks
):
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    post_archive(post=post, actor=bob)
    heard = len(mastodon.requests)
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_attempt(publication_id=publication.pk, now=at) == "cancelled"
    assert mastodon.requests[heard:] == [] and mastodon.statuses == {}
    assert not Share.objects.exists() and not PointEntry.objects.exists()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.CANCELLED and publication.attempts == 0
    assert (
        'Annulé <span class="muted">(Ce post n’est plus dans votre fil : rien n’a été publié.)'
        in _page_of(alice)
    )


def made_alumni(*, person):
    """What SCIM's leaver rule "alumni" does: the role changes, the account stays active."""
    person.role = Role.ALUMNI
    person.save(update_fields=["role"])


@pytest.mark.parametrize(
    "leave, reason",
    [
        (person_deactivate, "Votre compte est désactivé."),
        (made_alumni, "Ce post est réservé aux salariés."),
    ],
    ids=["deactivated", "alumni"],
)
def test_a_scheduled_share_of_a_person_who_left_since_is_cancelled_without_going_out(
    leave, reason, alice, post, connected, mastodon, django_capture_on_commit_callbacks
):
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    leave(person=alice)
    heard = len(mastodon.requests)
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_attempt(publication_id=publication.pk, now=at) == "cancelled"
    assert mastodon.requests[heard:] == [] and mastodon.statuses == {}
    assert not Share.objects.exists() and not PointEntry.objects.exists()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.CANCELLED and publication.problem == reason


def test_a_refusal_from_the_network_reads_in_french_on_a_french_page(
    alice, post, connected, mastodon
):
    mastodon.failures = [Failure(422)]
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    assert publication_attempt(publication_id=publication.pk, now=at) == "failed"
    assert 'Échec <span class="muted">(Le réseau a refusé la requête (erreur 422) : failure)' in (
        _page_of(alice)
    )


@pytest.mark.parametrize(
    "language, words",
    [
        ("fr", 'Échec <span class="muted">(La connexion n’existe plus ou doit être reconnectée.)'),
        ("en", 'Failed <span class="muted">(The connection is gone or needs reconnecting.)'),
    ],
)
def test_a_failure_is_kept_in_the_language_of_the_person_who_reads_it(
    language, words, alice, post, connected
):
    alice.language = language
    alice.save(update_fields=["language"])
    at = next_monday_at(10)
    publication = schedule(alice, post, at=at)
    connected.delete()
    assert publication_attempt(publication_id=publication.pk, now=at) == "failed"
    assert words in _page_of(alice)
