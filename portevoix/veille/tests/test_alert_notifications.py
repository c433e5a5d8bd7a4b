"""Veille alerts travel as notifications: in the app for the pilot team, by e-mail for those who
keep `notify_alerts`, with a one-click unsubscribe and the retries of every notification e-mail;
the alerts page reads its unread marks from them; the upgrade carries the old read marks over."""

import socket
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from conftest import make_person
from portevoix.notifications.models import Notification
from portevoix.veille.alerts import alert_create
from portevoix.veille.models import Watch


@pytest.fixture
def watch(db):
    return Watch.objects.create(name="Marque", terms="Lumière")


def rise(watch, count=6):
    return alert_create(kind="negative_rise", watch=watch, negative_count=count, window_hours=24)


def test_each_editor_and_admin_gets_a_notification_ambassadors_none(watch, alice, bob, carol):
    alert = rise(watch)
    told = Notification.objects.filter(kind="alert", subject=f"veille-alert:{alert.pk}")
    assert sorted(told.values_list("person__email", flat=True)) == [
        "bob@example.com",
        "carol@example.com",
    ]
    notice = told.get(person=bob)
    assert notice.title == "Veille : les mentions négatives augmentent pour « Marque »"
    assert "6 mentions négatives de « Marque » ces 24 dernières heures." in notice.body
    assert notice.url == "/veille/alerts/"


def test_the_alert_email_can_be_unsubscribed_in_one_click_and_the_app_still_tells(
    client, watch, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rise(watch)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe_url.removeprefix("http://127.0.0.1:8000")
    assert "Alertes de veille" in client.get(path).content.decode()
    assert client.post(path).status_code == 200
    bob.refresh_from_db()
    assert not bob.notify_alerts

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rise(watch, count=9)
    assert mail.outbox == []
    assert Notification.objects.filter(person=bob, kind="alert").count() == 2


def test_an_alert_email_the_server_cannot_take_now_is_retried(
    settings, watch, bob, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    HUEY.flush()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rise(watch)
        retries = [t for t in HUEY.scheduled() if t.name.endswith("notice_email_task")]
        assert len(retries) == 1
    finally:
        HUEY.flush()


def test_the_alerts_page_marks_only_what_the_person_was_told_and_has_not_read(
    client_for, watch, bob, charter
):
    before = rise(watch)
    newcomer = make_person("nina@example.com", "Nina Nouvelle", "editor")
    after = rise(watch, count=8)
    page = client_for(newcomer).get(reverse("veille:alerts")).content.decode()
    # The alert from before she joined is listed, not marked new (she was never told of it).
    assert page.count('<span class="tag">nouveau</span>') == 1
    assert page.count("mentions négatives de « Marque »") == 2
    client_for(bob).post(reverse("veille:alerts_read"))
    assert not Notification.objects.filter(person=bob, kind="alert", read_at=None).exists()
    assert Notification.objects.filter(person=newcomer, read_at=None).count() == 1
    assert {before.pk, after.pk} == set(
        int(s.split(":")[1])
        for s in Notification.objects.filter(person=bob).values_list("subject", flat=True)
    )


def test_marking_alerts_read_leaves_other_notifications_unread(client_for, watch, bob):
    from portevoix.notifications.send import person_notify

    rise(watch)
    person_notify(person=bob, kind="system", title="Bienvenue", email=False)
    client_for(bob).post(reverse("veille:alerts_read"))
    assert list(Notification.objects.filter(read_at=None).values_list("title", flat=True)) == [
        "Bienvenue"
    ]


def test_the_pilot_team_chooses_alert_emails_in_its_profile(client_for, alice, bob):
    form = {"full_name": "Bob Durand", "language": "fr", "time_zone": "Europe/Paris"}
    form["digest_frequency"] = "weekly"
    assert 'name="notify_alerts"' in client_for(bob).get(reverse("accounts:profile")).text
    assert client_for(bob).post(reverse("accounts:profile"), form).status_code == 302
    bob.refresh_from_db()
    assert not bob.notify_alerts
    client_for(bob).post(reverse("accounts:profile"), {**form, "notify_alerts": "on"})
    bob.refresh_from_db()
    assert bob.notify_alerts

    # Ambassadors never get veille alerts: no box, and saving their profile leaves it alone.
    assert 'name="notify_alerts"' not in client_for(alice).get(reverse("accounts:profile")).text
    form["full_name"] = "Alice Martin"
    assert client_for(alice).post(reverse("accounts:profile"), form).status_code == 302
    alice.refresh_from_db()
    assert alice.notify_alerts


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_turns_alerts_and_their_read_marks_into_notifications(alice, bob, carol):
    carol.language = "en"
    carol.save()
    executor = MigrationExecutor(connection)
    before = [("veille", "0001_initial")]
    latest = executor.loader.graph.leaf_nodes()  # every app: dependents were unapplied too
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    watch = old.get_model("veille", "Watch").objects.create(name="Marque", terms="Lumière")
    source = old.get_model("veille", "Source").objects.create(
        name="Blog", url="https://blog.example/feed"
    )
    Alert = old.get_model("veille", "Alert")
    rise_at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    read = Alert.objects.create(
        kind="negative_rise",
        watch=watch,
        negative_count=5,
        window_hours=24,
        usual_count=1.5,
        created_at=rise_at,
    )
    paused = Alert.objects.create(kind="source_paused", source=source, error="HTTP 503")
    read_at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    old.get_model("veille", "AlertRead").objects.create(
        alert_id=read.pk, person_id=bob.pk, read_at=read_at
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    assert not Notification.objects.filter(person=alice).exists()
    bobs = {n.subject: n for n in Notification.objects.filter(person=bob, kind="alert")}
    assert set(bobs) == {f"veille-alert:{read.pk}", f"veille-alert:{paused.pk}"}
    carried = bobs[f"veille-alert:{read.pk}"]
    assert carried.read_at == read_at and carried.created_at == rise_at
    assert carried.title == "Veille : les mentions négatives augmentent pour « Marque »"
    assert "D’habitude : 1,5 sur la même durée." in carried.body
    assert bobs[f"veille-alert:{paused.pk}"].read_at is None
    carols = Notification.objects.filter(person=carol, kind="alert", read_at=None)
    assert sorted(carols.values_list("title", flat=True)) == [
        "Veille: negative mentions are rising for “Marque”",
        "Veille: the source “Blog” is paused",
    ]
