"""Erasing a person leaves their name and e-mail nowhere, while what the organisation keeps
(challenge results, the audit trail, announcements) keeps its shape."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.mail import get_connection, send_mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_person
from portevoix.accounts.invitations import invitation_create
from portevoix.accounts.privacy import person_erase
from portevoix.accounts.tasks import delete_expired_sessions
from portevoix.accounts.two_factor_login import PENDING_KEY
from portevoix.content.models import Suggestion, Topic
from portevoix.content.tests.factories import make_post
from portevoix.core.audit import audit_change, audit_record, audit_verify, model_snapshot
from portevoix.core.models import AuditEntry
from portevoix.core.periodic import periodic_tasks
from portevoix.gamification.challenges import challenge_close
from portevoix.gamification.models import Challenge, ChallengeResult
from portevoix.notifications.models import Channel, ChannelDelivery, DigestSent, Notification
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for


def share(person, post, network):
    link = tracked_link_for(post=post, ambassador=person, network=network)
    yesterday = timezone.now() - timedelta(days=1)
    Share.objects.create(
        post=post, person=person, network=network, tracked_link=link, created_at=yesterday
    )


@pytest.fixture
def history(alice, bob, carol, client_for, django_capture_on_commit_callbacks):
    """Alice wins a challenge ahead of Bob (who reads English), is named in the announcements,
    invites someone, is invited, acts as an admin and is acted upon."""
    bob.language = "en"
    bob.save(update_fields=["language"])
    post = make_post()
    challenge = Challenge.objects.create(
        title="Défi talents",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(minutes=1),
        metric="shares",
        winners_count=2,
    )
    challenge.posts.add(post)
    share(alice, post, "linkedin")
    share(alice, post, "x")
    share(bob, post, "linkedin")
    Channel.objects.create(kind="slack", name="#advocacy", webhook_url="https://hooks.example/x")
    with django_capture_on_commit_callbacks(execute=True):
        challenge_close(challenge=challenge)
    DigestSent.objects.create(person=alice, period="2026-W48")
    Suggestion.objects.create(author=alice, text="Une idée d'Alice")
    invitation_create(email="new@example.com", full_name="Nouvelle Recrue", invited_by=alice)
    invitation_create(email=alice.email, full_name=alice.full_name, invited_by=carol)
    audit_record(actor=carol, action="person_invited", target=alice.email, role="ambassador")
    audit_record(actor=carol, action="person_deactivated", target=alice)
    audit_record(actor=alice, action="channel_added", target="#advocacy")
    audit_record(actor=carol, action="person_deactivated", target=bob)
    # Named in passing: a deleted topic's snapshot lists its followers by name.
    topic = Topic.objects.create(name="Recrutement")
    topic.followers.set([alice, bob])
    client_for(carol).post(reverse("content:topic_delete", args=[topic.pk]))
    # And a text that merely holds her first name is not about her.
    audit_record(actor=carol, action="channel_added", target="#alice-and-co", note="Alice Springs")
    return challenge


def rows_mentioning(*words: str) -> list[str]:
    """Every row of every Portevoix table with one of `words` in a text or JSON column."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("portevoix."):
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list("pk", *fields):
            text = json.dumps(row[1:], ensure_ascii=False, default=str).lower()
            found += [f"{model.__name__} #{row[0]}" for word in words if word.lower() in text]
    return found


def test_the_fixture_names_alice_in_many_tables(history):
    assert {"ChallengeResult", "AuditEntry", "Notification", "ChannelDelivery"} <= {
        hit.split(" ")[0] for hit in rows_mentioning("Alice")
    }


def test_after_erasure_her_name_and_email_are_nowhere(history, alice):
    assert "AuditEntry" in {hit.split(" ")[0] for hit in rows_mentioning("Alice Martin")}
    person_erase(person=alice)
    assert rows_mentioning("Alice Martin", "alice@example.com") == []
    # What did not name her stays as it was.
    assert rows_mentioning("Alice Springs") != []


def test_a_deleted_topic_keeps_its_other_followers_and_its_chain_verifies(history, alice):
    person_erase(person=alice)
    entry = AuditEntry.objects.get(action="topic_deleted")
    assert entry.details["changes"]["followers"] == [["example.com", "Bob Durand"], None]
    assert list(audit_verify()) == []


def test_her_challenge_result_stays_nameless_and_the_others_do_not_change(history, alice, bob):
    before = list(ChallengeResult.objects.values_list("rank", "person_id", "name", "value"))
    assert before == [(1, alice.pk, "Alice Martin", 2), (2, bob.pk, "Bob Durand", 1)]
    person_erase(person=alice)
    after = list(
        ChallengeResult.objects.values_list("rank", "person_id", "name", "value", "winner")
    )
    assert after == [(1, None, "", 2, True), (2, bob.pk, "Bob Durand", 1, True)]


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Former participant"), ("fr", "Ancien participant")]
)
def test_the_challenge_page_shows_a_former_participant(
    history, alice, bob, client_for, language, label
):
    bob.language = language
    bob.save(update_fields=["language"])
    person_erase(person=alice)
    page = (
        client_for(bob).get(reverse("gamification:challenge", args=[history.pk])).content.decode()
    )
    assert label in page and "Bob Durand" in page and "Alice" not in page


def test_the_announcements_keep_their_text_with_a_former_participant(history, alice, bob):
    person_erase(person=alice)
    assert Notification.objects.get(person=bob).body == "Winners: Former participant, Bob Durand."
    assert ChannelDelivery.objects.get().text == "Gagnants : Ancien participant, Bob Durand."


def test_the_audit_trail_keeps_what_happened_without_her(history, alice, carol):
    person_erase(person=alice)
    entries = AuditEntry.objects.order_by("id").values_list("actor_name", "action", "target")
    assert list(entries) == [
        ("Carol Admin", "person_invited", "example.com"),
        ("Carol Admin", "person_deactivated", "example.com"),
        ("example.com", "channel_added", "#advocacy"),
        ("Carol Admin", "person_deactivated", "Bob Durand"),
        ("Carol Admin", "topic_deleted", "Recrutement"),
        ("Carol Admin", "channel_added", "#alice-and-co"),
    ]
    assert AuditEntry.objects.filter(actor=carol).count() == 5


def test_her_own_rows_go_and_the_people_she_invited_stay(history, alice):
    person_erase(person=alice)
    assert not Notification.objects.filter(person_id=alice.pk).exists()
    assert not DigestSent.objects.filter(person_id=alice.pk).exists()
    invited = apps.get_model("accounts", "Invitation").objects.get(email="new@example.com")
    assert invited.invited_by is None and invited.person is not None


def test_erasure_signs_her_out_on_every_device(alice, bob):
    phone, laptop, bobs_laptop = Client(), Client(), Client()
    phone.force_login(alice)
    laptop.force_login(alice)
    bobs_laptop.force_login(bob)
    laptop.post(reverse("accounts:my_account_erase"), {"password": PASSWORD})
    signed_in = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert str(alice.pk) not in signed_in and str(bob.pk) in signed_in
    assert phone.get(reverse("core:home")).status_code == 302


def session_of(data: dict, *, expires_in: timedelta) -> str:
    store = SessionStore()
    store.update(data)
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_erasure_deletes_her_expired_and_half_signed_in_sessions_too(alice, bob):
    # An expired single sign-on session still holds the provider's name for her (her e-mail).
    expired = session_of(
        {SESSION_KEY: str(alice.pk), "identity_logout": {"name_id": alice.email}},
        expires_in=timedelta(days=-3),
    )
    waiting_for_code = session_of(
        {PENDING_KEY: {"person": alice.pk, "next": "/"}}, expires_in=timedelta(minutes=5)
    )
    bobs = session_of({SESSION_KEY: str(bob.pk)}, expires_in=timedelta(days=-3))
    person_erase(person=alice)
    kept = set(Session.objects.values_list("session_key", flat=True))
    assert expired not in kept and waiting_for_code not in kept
    assert bobs in kept
    assert not any(alice.email in str(s.get_decoded()) for s in Session.objects.all())


def test_expired_sessions_go_every_night(alice, bob):
    old = session_of({SESSION_KEY: str(alice.pk)}, expires_in=timedelta(seconds=-1))
    live = session_of({SESSION_KEY: str(bob.pk)}, expires_in=timedelta(days=1))
    delete_expired_sessions.call_local()
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert old != live
    assert "portevoix.accounts.tasks.delete_expired_sessions" in periodic_tasks()


def test_a_name_with_accents_named_in_passing_goes_too(client_for, carol, bob):
    # SQLite keeps the details' JSON with such letters escaped, PostgreSQL as they are.
    zoe = make_person("zoe@example.com", "Zoé Lefèvre", "ambassador")
    topic = Topic.objects.create(name="Événements")
    topic.followers.set([zoe, bob])
    client_for(carol).post(reverse("content:topic_delete", args=[topic.pk]))
    person_erase(person=zoe)
    entry = AuditEntry.objects.get(action="topic_deleted")
    assert entry.details["changes"]["followers"] == [["Bob Durand", "example.com"], None]
    assert list(audit_verify()) == []


def test_erasure_deletes_the_e_mails_the_file_back_end_kept_for_her(alice, bob, settings, tmp_path):
    # The demo's and development's back-end: every e-mail sent stays on disk until the
    # outbox's retention, with its recipient's address.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    # Two connections alive at once: the back-end names a file after the second and its
    # connection, and one connection's e-mails share a file.
    hers, his = get_connection(), get_connection()
    send_mail("Bienvenue", "Bonjour", "pv@example.com", ["Alice@Example.com"], connection=hers)
    send_mail("Bienvenue", "Bonjour Bob", "pv@example.com", [bob.email], connection=his)
    assert len(list(tmp_path.iterdir())) == 2
    person_erase(person=alice)
    [kept] = tmp_path.iterdir()
    assert bob.email in kept.read_text() and "alice" not in kept.read_text().lower()


def test_the_announcements_lose_the_name_she_had_when_the_challenge_closed(
    history, alice, bob, carol
):
    # Renamed since (her profile, an admin, SCIM): the announcements, and the audit entries
    # written before, kept the old name.
    before = model_snapshot(alice)
    alice.full_name = "Alice Dupont"
    alice.save(update_fields=["full_name"])
    audit_change(
        actor=carol,
        action="person_changed",
        target=alice,
        before=before,
        after=model_snapshot(alice),
    )
    person_erase(person=alice)
    assert Notification.objects.get(person=bob).body == "Winners: Former participant, Bob Durand."
    assert ChannelDelivery.objects.get().text == "Gagnants : Ancien participant, Bob Durand."
    assert rows_mentioning("Alice Martin", "Alice Dupont") == []
