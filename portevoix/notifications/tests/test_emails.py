from django.urls import reverse

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
