"""Deliveries to a real server on loopback, checked with the Standard Webhooks library's own
verifier: signed, retried with back-off, logged, given up, disabled, sent again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import WebhookVerificationError

from portevoix.content.models import Post
from portevoix.content.workflow import post_publish
from portevoix.core.testing import Answer
from portevoix.notifications.models import Notification
from portevoix.webhooks.endpoints import endpoint_rotate_secret
from portevoix.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from portevoix.webhooks.outbox import deliveries_send_due, delivery_resend
from portevoix.webhooks.tests.conftest import make_due


@pytest.fixture
def publish(bob, django_capture_on_commit_callbacks):
    def run(title: str = "Nous recrutons à Lyon") -> Post:
        post = Post.objects.create(title=title, url="https://carrieres.example.com/42", author=bob)
        with django_capture_on_commit_callbacks(execute=True):
            post_publish(post=post, actor=bob)
        return post

    return run


def test_a_published_post_reaches_the_endpoint_signed_as_the_standard_says(
    receiver, make_endpoint, publish
):
    _endpoint, secret = make_endpoint(["post.published"])
    post = publish()
    [message] = receiver.received
    payload = message.verified_by(secret)
    assert payload["type"] == "post.published"
    assert payload["data"]["post"]["id"] == post.pk
    assert payload["data"]["post"]["title"] == "Nous recrutons à Lyon"
    assert message.headers["webhook-id"].startswith("msg_")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok"


def test_another_secret_does_not_verify(receiver, make_endpoint, publish):
    make_endpoint(["post.published"])
    publish()
    other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    with pytest.raises(WebhookVerificationError):
        receiver.received[0].verified_by(other)


def test_an_endpoint_receives_only_the_events_it_chose(receiver, make_endpoint, publish):
    make_endpoint(["share.created"])
    publish()
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_500_then_a_200_is_delivered_once_and_logged_twice(receiver, make_endpoint, publish):
    _endpoint, secret = make_endpoint(["post.published"])
    receiver.answer(Answer(500, b"database down"), Answer(200, b"merci"))
    publish()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()  # backing off
    assert deliveries_send_due() == 0  # not due yet
    make_due()
    assert deliveries_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    log = list(delivery.attempt_log.order_by("at", "id"))
    assert [a.status_code for a in log] == [500, 200]
    assert log[0].response_excerpt == "database down" and log[0].error
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # one message, twice
    second.verified_by(secret)
    make_due()
    assert deliveries_send_due() == 0
    assert len(receiver.received) == 2


def test_the_back_off_doubles_and_stops_after_a_day(receiver, make_endpoint, publish, carol):
    endpoint, _secret = make_endpoint(["post.published"])
    receiver.answer(Answer(503, b"busy"))
    publish()
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(3):
        waits.append(delivery.next_attempt_at - timezone.now())
        make_due()
        deliveries_send_due()
        delivery.refresh_from_db()
    assert round(waits[0].total_seconds() / 60) == 1
    assert round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60) == 8
    # A day later the last try fails: given up, the endpoint disabled, the admins told.
    WebhookDelivery.objects.update(retry_until=timezone.now() - timedelta(seconds=1))
    make_due()
    deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    endpoint.refresh_from_db()
    assert not endpoint.active and "503" in endpoint.disabled_reason
    assert Notification.objects.filter(person=carol, title__contains="CRM").exists()


def test_a_410_disables_the_endpoint_and_tells_the_admins(receiver, make_endpoint, publish, carol):
    endpoint, _secret = make_endpoint(["post.published"])
    receiver.answer(Answer(410, b"gone"))
    publish("Premier")
    endpoint.refresh_from_db()
    assert not endpoint.active and "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == "failed"
    notice = Notification.objects.get(person=carol, title__contains="CRM")
    assert notice.url == f"/webhooks/{endpoint.pk}/"
    publish("Second")  # nothing more is queued for a disabled endpoint
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_time_out_is_logged_and_retried(receiver, make_endpoint, publish, settings):
    settings.WEBHOOK_TIMEOUT = 1
    receiver.answer(Answer(200, b"late", delay=2))
    make_endpoint(["post.published"])
    publish()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error
    assert attempt.duration_ms >= 900


def test_a_redirect_to_a_private_address_is_not_followed(
    receiver, make_endpoint, publish, local_http
):
    receiver.answer(Answer(307, b"", headers={"Location": "http://10.0.0.1/admin"}))
    make_endpoint(["post.published"])
    publish()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 307 and "redirection" in attempt.error
    assert [r[1] for r in local_http.requests] == ["/hook"]  # only the endpoint was reached


def test_an_endpoint_whose_address_turned_private_is_refused_and_disabled(
    receiver, make_endpoint, publish, settings, carol
):
    endpoint, _secret = make_endpoint(["post.published"])
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []  # 127.0.0.1 is now judged as it would be
    publish()
    assert receiver.received == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and "127.0.0.1" in attempt.error
    endpoint.refresh_from_db()
    assert not endpoint.active


def test_after_a_rotation_both_secrets_sign_for_a_day(receiver, make_endpoint, publish, carol):
    endpoint, old = make_endpoint(["post.published"])
    new = endpoint_rotate_secret(endpoint=endpoint, actor=carol)
    assert new != old
    publish("Pendant la bascule")
    message = receiver.received[-1]
    assert len(message.headers["webhook-signature"].split(" ")) == 2
    assert message.verified_by(old)["type"] == "post.published"
    assert message.verified_by(new)["type"] == "post.published"
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_until=timezone.now() - timedelta(seconds=1)
    )
    publish("Après la bascule")
    message = receiver.received[-1]
    assert len(message.headers["webhook-signature"].split(" ")) == 1
    message.verified_by(new)
    with pytest.raises(WebhookVerificationError):
        message.verified_by(old)


def test_a_failed_delivery_is_sent_again_with_the_same_id(
    receiver, make_endpoint, publish, django_capture_on_commit_callbacks, carol
):
    receiver.answer(Answer(404, b"no route"), Answer(200, b"ok"))
    make_endpoint(["post.published"])
    publish()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    delivery.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_resend(delivery=delivery, actor=carol)
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert delivery.attempt_log.count() == 2
    assert receiver.received[0].headers["webhook-id"] == receiver.received[1].headers["webhook-id"]
