import logging

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from portevoix.notifications.emails import unsubscribe_token
from portevoix.notifications.models import Kind, Notification
from portevoix.notifications.send import person_notify


def send(person, kind=Kind.PRIORITY, title="Nouvelle offre à partager"):
    return person_notify(
        person=person, kind=kind, title=title, body="Un poste à Lyon.", url="/share/1/"
    )


def test_a_notice_reaches_a_real_smtp_server_in_both_parts(
    smtp_server, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == alice.email
    assert message["Subject"] == "Nouvelle offre à partager"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Un poste à Lyon." in text and "Un poste à Lyon." in html
    assert "http://127.0.0.1:8000/share/1/" in text
    assert "Se désabonner" in text  # alice's language is French
    assert Notification.objects.get(person=alice).title == "Nouvelle offre à partager"


def test_the_email_follows_the_persons_language(
    smtp_server, alice, django_capture_on_commit_callbacks
):
    alice.language = "en"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(alice, title="New job offer")
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Unsubscribe from these e-mails" in text


def test_no_email_when_the_person_said_no_but_the_app_still_shows_it(
    smtp_server, alice, django_capture_on_commit_callbacks
):
    alice.notify_priority = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert smtp_server.messages == []
    assert Notification.objects.filter(person=alice).count() == 1


def test_one_click_unsubscribe_by_post_without_csrf(client, alice):
    from django.test import Client

    token = unsubscribe_token(alice, Kind.PRIORITY)
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("notifications:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert not alice.notify_priority


def test_the_unsubscribe_page_asks_before_acting_on_get(client, alice):
    token = unsubscribe_token(alice, Kind.DIGEST)
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.digest_frequency == "weekly"
    client.post(reverse("notifications:unsubscribe", args=[token]))
    alice.refresh_from_db()
    assert alice.digest_frequency == "none"


def test_unsubscribe_tokens_cannot_be_forged_for_someone_else(client, alice, bob):
    token = unsubscribe_token(alice, Kind.PRIORITY)
    forged = token.replace(token.split(":")[0], unsubscribe_token(bob, Kind.PRIORITY).split(":")[0])
    for bad in [forged, token[:-2] + "xx", "abc", "x" * 400]:
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert bob.notify_priority and alice.notify_priority


def test_a_token_only_unsubscribes_from_its_own_kind(client, alice):
    client.post(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(alice, Kind.CHALLENGE)])
    )
    alice.refresh_from_db()
    assert not alice.notify_challenges
    assert (
        alice.notify_priority and alice.notify_monthly_report and alice.digest_frequency == "weekly"
    )


def test_the_in_app_list_and_unread_count(client_for, alice, bob):
    send(alice)
    send(alice, title="Deuxième")
    send(bob, title="Pour Bob")
    client = client_for(alice)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Deuxième" in page and "Pour Bob" not in page
    assert 'class="badge"' in client.get(reverse("core:home")).content.decode()
    client.post(reverse("notifications:mark_read"))
    assert 'class="badge"' not in client.get(reverse("core:home")).content.decode()
    assert Notification.objects.filter(person=bob, read_at__isnull=True).count() == 1


@pytest.fixture
def retries():
    """The e-mail tasks Huey scheduled to try again (tests run tasks at once, retries wait)."""
    HUEY.flush()
    yield lambda: [t for t in HUEY.scheduled() if t.name.endswith("notice_email_task")]
    HUEY.flush()


def test_a_title_with_line_breaks_still_goes_out_with_a_one_line_subject(
    smtp_server, alice, retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(alice, title="Défi\r\nBcc: tout-le-monde@lumiere.example\tde décembre")
    [message] = smtp_server.messages
    # (a long encoded subject is folded after "Subject:", which the parser reads as a space)
    assert message["Subject"].strip() == "Défi Bcc: tout-le-monde@lumiere.example de décembre"
    assert message["Bcc"] is None
    assert smtp_server.recipients_tried == [alice.email]
    assert retries() == []


def test_an_address_refused_for_good_is_tried_once_recorded_once_and_not_retried(
    smtp_server, alice, retries, caplog, django_capture_on_commit_callbacks
):
    smtp_server.refuse[alice.email] = "550 5.1.1 No such mailbox"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert smtp_server.recipients_tried == [alice.email]
    assert smtp_server.messages == []
    assert retries() == []
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.name == "portevoix.notifications"
    assert "550" in record.getMessage() and str(alice.pk) in record.getMessage()
    assert alice.email not in record.getMessage()  # the log names the person by id only


def test_a_malformed_address_is_a_permanent_failure_too(
    smtp_server, alice, retries, django_capture_on_commit_callbacks
):
    type(alice).objects.filter(pk=alice.pk).update(email="alice@lumiere.example\nBcc: x@y.example")
    alice.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert smtp_server.recipients_tried == []
    assert retries() == []


def test_a_passing_refusal_of_the_server_is_retried_later(
    smtp_server, alice, retries, django_capture_on_commit_callbacks
):
    smtp_server.refuse[alice.email] = "451 4.3.0 Try again later"
    with django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert smtp_server.messages == []
    assert len(retries()) == 1


def test_a_server_that_cannot_be_reached_is_retried_later(
    settings, alice, retries, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    with django_capture_on_commit_callbacks(execute=True):
        send(alice)
    assert len(retries()) == 1
