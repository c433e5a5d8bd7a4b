"""Each event comes from the capability it names, after its change committed, and carries no
personal data beyond what it needs: never a name, an e-mail or a person's words; nobody who
opted out or was erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import make_person
from portevoix.accounts.participation import ambassador_opt_in, ambassador_opt_out
from portevoix.accounts.privacy import person_erase, person_export
from portevoix.content.models import Campaign
from portevoix.content.tests.factories import make_post
from portevoix.gamification.challenges import challenge_close
from portevoix.gamification.models import Challenge
from portevoix.sharing.models import Share
from portevoix.sharing.shares import share_create
from portevoix.tracking.links import tracked_link_for
from portevoix.veille.alerts import alert_create
from portevoix.veille.models import AlertKind, Source
from portevoix.webhooks.models import WebhookDelivery, WebhookEvent
from portevoix.webhooks.outbox import deliveries_send_due
from portevoix.webhooks.tests.conftest import make_due


@pytest.fixture
def now_commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit (signals, the worker's wake-up) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_share_names_the_post_and_network_but_not_the_words(
    receiver, make_endpoint, alice, now_commits
):
    _endpoint, secret = make_endpoint(["share.created"])
    post = make_post()
    with now_commits():
        result = share_create(person=alice, post=post, network="linkedin", text="Mes mots à moi")
    data = receiver.received[0].verified_by(secret)["data"]
    assert data["share"]["id"] == result.share.pk and data["share"]["network"] == "linkedin"
    assert data["post"] == {"id": post.pk, "title": post.title}
    assert data["person"] == {"id": alice.pk}
    body = receiver.received[0].body.decode()
    assert "Mes mots" not in body and "Alice" not in body and "alice@" not in body


def test_opting_in_and_out_are_events_that_name_only_an_id(
    receiver, make_endpoint, erin, now_commits
):
    _endpoint, secret = make_endpoint(["person.opted_in", "person.opted_out"])
    with now_commits():
        ambassador_opt_in(person=erin)
    with now_commits():
        ambassador_opt_out(person=erin)
    joined, left = (m.verified_by(secret) for m in receiver.received)
    assert joined["type"] == "person.opted_in" and joined["data"]["person"] == {"id": erin.pk}
    assert left["type"] == "person.opted_out" and left["data"]["person"] == {"id": erin.pk}
    assert "Erin" not in receiver.received[0].body.decode()


def test_someone_who_opted_out_before_the_delivery_is_not_named(
    receiver, make_endpoint, alice, now_commits
):
    from portevoix.core.testing import Answer

    receiver.answer(Answer(503, b"busy"), Answer(200, b"ok"))
    _endpoint, secret = make_endpoint(["share.created"])
    with now_commits():
        share_create(person=alice, post=make_post(), network="linkedin", text="Bonjour")
    assert receiver.received[0].verified_by(secret)["data"]["person"] == {"id": alice.pk}
    ambassador_opt_out(person=alice)
    make_due()
    assert deliveries_send_due() == 1
    assert receiver.received[1].verified_by(secret)["data"]["person"] is None


def test_erasure_takes_the_person_out_of_stored_events(
    receiver, make_endpoint, alice, carol, now_commits
):
    make_endpoint(["share.created"])
    with now_commits():
        share_create(person=alice, post=make_post(), network="linkedin", text="Bonjour")
    event = WebhookEvent.objects.get()
    assert event.data["person"] == {"id": alice.pk}
    exported = person_export(person=alice)["webhooks"]
    assert [e["id"] for e in exported["events_naming_me"]] == [event.uid]
    assert exported["endpoints_created"] == []
    assert [e["name"] for e in person_export(person=carol)["webhooks"]["endpoints_created"]] == [
        "CRM"
    ]
    person_erase(person=alice)
    event.refresh_from_db()
    assert event.data["person"] is None
    assert event.data["share"]["network"] == "linkedin"  # the rest of the event stays


def test_a_closed_challenge_names_winners_by_id_unless_they_hide_from_rankings(
    receiver, make_endpoint, charter, now_commits
):
    _endpoint, secret = make_endpoint(["challenge.closed"])
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 11, 30, 23, tzinfo=UTC)
    campaign = Campaign.objects.create(name="Talents", utm_campaign="talents")
    post = make_post(campaign=campaign)
    ana = make_person("ana@example.com", "Ana", "ambassador")
    ben = make_person("ben@example.com", "Ben", "ambassador")
    ben.hide_from_rankings = True
    ben.save()
    for person in (ana, ben):
        link = tracked_link_for(post=post, ambassador=person, network="linkedin")
        Share.objects.create(
            post=post, person=person, network="linkedin", tracked_link=link, created_at=start
        )
    challenge = Challenge.objects.create(
        title="Défi",
        starts_at=start,
        ends_at=end,
        metric="shares",
        campaign=campaign,
        winners_count=2,
    )
    with now_commits():
        assert challenge_close(challenge=challenge, now=end + timedelta(minutes=1))
    data = receiver.received[0].verified_by(secret)["data"]
    assert data["challenge"]["id"] == challenge.pk and data["challenge"]["title"] == "Défi"
    named = [w["person"] for w in data["winners"] if w.get("person")]
    assert {"id": ben.pk} not in named
    assert "Ana" not in receiver.received[0].body.decode()


def test_a_veille_alert_is_an_event(receiver, make_endpoint, bob, now_commits):
    _endpoint, secret = make_endpoint(["alert.raised"])
    source = Source.objects.create(name="Blog", url="https://blog.example/feed")
    with now_commits():
        alert = alert_create(kind=AlertKind.SOURCE_PAUSED, source=source, error="HTTP 500")
    data = receiver.received[0].verified_by(secret)["data"]
    assert data["alert"]["id"] == alert.pk and data["alert"]["kind"] == "source_paused"
    assert data["alert"]["source"] == {"id": source.pk, "name": "Blog"}


def test_no_endpoint_no_event_kept(alice, now_commits):
    with now_commits():
        share_create(person=alice, post=make_post(), network="linkedin", text="Bonjour")
    assert not WebhookEvent.objects.exists() and not WebhookDelivery.objects.exists()


def test_an_event_that_cannot_be_queued_is_logged_and_breaks_nothing(make_endpoint, caplog):
    from portevoix.webhooks.outbox import event_record

    make_endpoint(["post.published"])

    def broken() -> dict:
        raise ValueError("payload")

    assert event_record(type="post.published", build=broken) is None
    assert "post.published could not be queued" in caplog.text
    assert not WebhookEvent.objects.exists()
