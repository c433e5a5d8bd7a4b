"""Web Push: subscribing a device, delivery to a real local push service that decrypts what it
receives, removal of gone devices, and who may do what."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from portevoix.core.testing import Answer
from portevoix.notifications.models import Kind
from portevoix.notifications.push.delivery import PushRetry, push_send
from portevoix.notifications.push.keys import vapid_public_key
from portevoix.notifications.push.models import PushKeys, PushSubscription
from portevoix.notifications.send import person_notify

SUBSCRIBE = reverse("notifications:push_subscribe")
UNSUBSCRIBE = reverse("notifications:push_unsubscribe")
# A valid P-256 point and auth secret, for subscriptions that never receive anything.
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def subscribe(client, subscription: dict, **headers):
    return client.post(
        SUBSCRIBE, json.dumps(subscription), content_type="application/json", **headers
    )


def device_of(push_subscription: dict) -> dict:
    """The JSON a browser posts: what PushSubscription.toJSON() gives."""
    return {"endpoint": push_subscription["endpoint"], "keys": push_subscription["keys"]}


@pytest.fixture
def alice_device(alice, client_for, push_service):
    issued = push_service.subscribe(vapid_public_key())
    answer = subscribe(
        client_for(alice),
        device_of(issued),
        HTTP_USER_AGENT="Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
    )
    assert answer.status_code == 201, answer.content
    return issued


def test_a_device_is_subscribed_with_its_keys_and_a_label(alice, alice_device):
    device = PushSubscription.objects.get()
    assert device.person == alice
    assert device.endpoint == alice_device["endpoint"]
    assert device.p256dh == alice_device["keys"]["p256dh"].rstrip("=")
    assert device.device_label == "Firefox sur Android"


def test_a_notification_reaches_the_device_encrypted_and_signed(
    alice, alice_device, push_service, django_capture_on_commit_callbacks, settings, client_for
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = person_notify(
            person=alice,
            kind=Kind.PRIORITY,
            title="À partager maintenant : « Rejoignez-nous »",
            body="Un poste prioritaire.",
            url="/share/12/",
            email=False,
        )
    received = push_service.messages(alice_device)
    assert len(received) == 1
    assert json.loads(received[0]) == {
        "title": "À partager maintenant : « Rejoignez-nous »",
        "body": "Un poste prioritaire.",
        "url": settings.SITE_URL + "/share/12/",
        "icon": settings.SITE_URL + "/static/portevoix/icon.svg",
        "tag": f"portevoix-{notification.pk}",
    }
    assert PushSubscription.objects.get().last_success_at is not None
    profile = client_for(alice).get(reverse("accounts:profile")).content.decode()
    assert "dernière notification le" in profile


def test_each_device_of_the_person_receives_it(
    alice, alice_device, push_service, client_for, django_capture_on_commit_callbacks
):
    second = push_service.subscribe(vapid_public_key())
    assert subscribe(client_for(alice), device_of(second)).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        person_notify(person=alice, kind=Kind.SYSTEM, title="Bienvenue", email=False)
    assert len(push_service.messages(alice_device)) == 1
    assert len(push_service.messages(second)) == 1


def test_the_email_preference_of_the_kind_applies_to_devices(
    alice, alice_device, push_service, django_capture_on_commit_callbacks
):
    alice.notify_challenges = False
    alice.save(update_fields=["notify_challenges"])
    with django_capture_on_commit_callbacks(execute=True):
        person_notify(person=alice, kind=Kind.CHALLENGE, title="Le défi commence", email=False)
    assert push_service.messages(alice_device) == []
    assert alice.notifications.count() == 1  # the in-app list still has it


def test_nothing_is_pushed_when_the_transaction_rolls_back(
    alice, alice_device, push_service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person_notify(person=alice, kind=Kind.SYSTEM, title="Annulé", email=False)
    assert len(callbacks) == 1  # queued for after the commit, not sent in the request
    assert push_service.messages(alice_device) == []


def test_an_expired_subscription_410_is_removed(
    alice, alice_device, push_service, django_capture_on_commit_callbacks
):
    push_service.expire(alice_device)
    with django_capture_on_commit_callbacks(execute=True):
        person_notify(person=alice, kind=Kind.SYSTEM, title="Perdu", email=False)
    assert not PushSubscription.objects.exists()
    assert alice.notifications.count() == 1


def test_an_unknown_endpoint_404_is_removed(alice, local_http):
    local_http.route("/push/gone", Answer(404, b"no such subscription"))
    device = PushSubscription.objects.create(
        person=alice, endpoint=local_http.url("/push/gone"), p256dh=P256DH, auth=AUTH
    )
    notification = alice.notifications.create(kind=Kind.SYSTEM, title="Perdu")
    assert push_send(notification=notification, subscription=device) is False
    assert not PushSubscription.objects.exists()
    method, _path, headers = local_http.requests[0]
    assert method == "POST"
    assert headers["Content-Encoding"] == "aes128gcm"
    assert headers["TTL"] == "86400"


def test_the_vapid_signature_names_the_push_service_and_a_contact(alice, local_http, settings):
    import time

    from py_vapid import Vapid02

    from portevoix.notifications.push.keys import b64url_decode

    settings.DEFAULT_FROM_EMAIL = "Portevoix <push@intranet>"  # no dot: still signed
    local_http.route("/push/ok", Answer(201))
    device = PushSubscription.objects.create(
        person=alice, endpoint=local_http.url("/push/ok"), p256dh=P256DH, auth=AUTH
    )
    notification = alice.notifications.create(kind=Kind.SYSTEM, title="Signé")
    assert push_send(notification=notification, subscription=device) is True
    authorization = local_http.requests[0][2]["Authorization"]
    assert Vapid02.verify(authorization)  # RFC 8292: `vapid t=<JWT>,k=<public key>`
    token, key = (part.split("=", 1)[1] for part in authorization[len("vapid ") :].split(","))
    assert key == vapid_public_key()
    claims = json.loads(b64url_decode(token.split(".")[1]))
    assert claims["aud"] == local_http.url("").rstrip("/")
    assert claims["sub"] == "mailto:push@intranet"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert PushSubscription.objects.get().last_success_at is not None


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_passing_failure_is_retried_and_keeps_the_device(alice, local_http, status):
    local_http.route("/push/busy", Answer(status, b"later"))
    device = PushSubscription.objects.create(
        person=alice, endpoint=local_http.url("/push/busy"), p256dh=P256DH, auth=AUTH
    )
    notification = alice.notifications.create(kind=Kind.SYSTEM, title="Plus tard")
    with pytest.raises(PushRetry):
        push_send(notification=notification, subscription=device)
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_a_device_taken_over_by_another_person_is_theirs(
    alice, bob, alice_device, client_for, push_service
):
    assert subscribe(client_for(bob), device_of(alice_device)).status_code == 201
    assert PushSubscription.objects.get().person == bob


def test_stopping_this_device(alice, alice_device, client_for):
    answer = client_for(alice).post(
        UNSUBSCRIBE, json.dumps({"endpoint": alice_device["endpoint"]}), "application/json"
    )
    assert answer.status_code == 204
    assert not PushSubscription.objects.exists()


def test_a_person_cannot_stop_someone_elses_device(alice, bob, alice_device, client_for):
    client = client_for(bob)
    answer = client.post(
        UNSUBSCRIBE, json.dumps({"endpoint": alice_device["endpoint"]}), "application/json"
    )
    assert answer.status_code == 404
    device = PushSubscription.objects.get()
    remove = reverse("notifications:push_device_remove", args=[device.pk])
    assert client.post(remove).status_code == 404
    assert PushSubscription.objects.filter(person=alice).count() == 1


def test_removing_a_device_from_the_profile(alice, alice_device, client_for):
    device = PushSubscription.objects.get()
    answer = client_for(alice).post(reverse("notifications:push_device_remove", args=[device.pk]))
    assert answer.status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_views_need_a_signed_in_person_and_post(client, alice, client_for):
    body = json.dumps(
        {"endpoint": "https://push.example/x", "keys": {"p256dh": P256DH, "auth": AUTH}}
    )
    assert client.post(SUBSCRIBE, body, "application/json").status_code == 302
    assert not PushSubscription.objects.exists()
    assert client_for(alice).get(SUBSCRIBE).status_code == 405


def test_the_csrf_token_is_required(alice, alice_device, push_service):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    other = push_service.subscribe(vapid_public_key())
    assert subscribe(client, device_of(other)).status_code == 403
    answer = client.post(
        UNSUBSCRIBE, json.dumps({"endpoint": alice_device["endpoint"]}), "application/json"
    )
    assert answer.status_code == 403
    assert PushSubscription.objects.count() == 1

    client.get(reverse("accounts:profile"))
    token = client.cookies["csrftoken"].value
    assert subscribe(client, device_of(other), HTTP_X_CSRFTOKEN=token).status_code == 201


@pytest.mark.parametrize(
    ("subscription", "message"),
    [
        ("not json at all", "This is not a push subscription."),
        ([1, 2], "This is not a push subscription."),
        ({"endpoint": "https://push.example/x"}, "This is not a push subscription."),
        ({"keys": {"p256dh": P256DH, "auth": AUTH}}, "The subscription has no endpoint."),
        (
            {"endpoint": "http://push.example/x", "keys": {"p256dh": P256DH, "auth": AUTH}},
            "This address must start with https://.",
        ),
        (
            {"endpoint": "https://10.1.2.3/push", "keys": {"p256dh": P256DH, "auth": AUTH}},
            "10.1.2.3 points to a private or reserved network address: it cannot be fetched.",
        ),
        (
            {
                "endpoint": "https://[::ffff:127.0.0.1]/push",
                "keys": {"p256dh": P256DH, "auth": AUTH},
            },
            "::ffff:127.0.0.1 points to a private or reserved network address: it cannot be fetched.",
        ),
        (
            {"endpoint": "https://127.0.0.1/push", "keys": {"p256dh": "AAAA", "auth": AUTH}},
            "The device key p256dh is invalid.",
        ),
        (
            {
                "endpoint": "https://127.0.0.1/push",
                "keys": {"p256dh": "B" + "A" * 86, "auth": AUTH},
            },
            "The device key p256dh is invalid.",
        ),
        (
            {"endpoint": "https://127.0.0.1/push", "keys": {"p256dh": P256DH, "auth": "x!"}},
            "The device key auth is missing.",
        ),
        (
            {"endpoint": "https://127.0.0.1/push", "keys": {"p256dh": P256DH, "auth": "AAAA"}},
            "The device key auth is invalid.",
        ),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(
    alice, client_for, settings, subscription, message
):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]  # the key checks, past the address
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = client_for(alice)
    body = subscription if isinstance(subscription, str) else json.dumps(subscription)
    answer = client.post(SUBSCRIBE, body, "application/json")
    assert answer.status_code == 400
    assert answer.json() == {"error": message}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 2000 + "]" * 2000,  # deeper than the JSON parser goes
        json.dumps({"endpoint": "https://127.0.0.1/\ud800", "keys": {"p256dh": "x", "auth": "y"}}),
        json.dumps(
            {"endpoint": "https://127.0.0.1/a\u0000b", "keys": {"p256dh": "x", "auth": "y"}}
        ),
    ],
    ids=["deep-nesting", "lone-surrogate", "nul"],
)
@pytest.mark.parametrize("url", [SUBSCRIBE, UNSUBSCRIBE])
def test_json_no_database_can_store_is_refused_clearly(alice, alice_device, client_for, url, body):
    alice.language = "en"
    alice.save(update_fields=["language"])
    answer = client_for(alice).post(url, body, "application/json")
    assert answer.status_code == 400
    assert answer.json() == {"error": "This is not a push subscription."}
    assert PushSubscription.objects.get().endpoint == alice_device["endpoint"]


def test_errors_speak_the_persons_language(alice, client_for):
    answer = client_for(alice).post(SUBSCRIBE, "{", "application/json")
    assert answer.json() == {"error": "Ceci n’est pas un abonnement aux notifications."}


def test_the_vapid_private_key_is_stored_encrypted(db, caplog):
    caplog.set_level(logging.DEBUG)
    public = vapid_public_key()
    assert vapid_public_key() == public  # made once
    keys = PushKeys.objects.get()
    from portevoix.notifications.push.keys import vapid_signer

    private = vapid_signer().private_key.private_numbers().private_value.to_bytes(32, "big")
    assert private not in bytes(keys.private_key_encrypted)
    assert keys.public_key == public
    assert all(private.hex() not in record.getMessage() for record in caplog.records)


def test_the_vapid_key_survives_a_rotation_of_secrets_keys(db, settings):
    settings.SECRETS_KEYS = ["first-key-of-this-installation-0123456789"]
    public = vapid_public_key()
    settings.SECRETS_KEYS = ["second-key-of-this-installation-987654321", *settings.SECRETS_KEYS]
    assert vapid_public_key() == public
    settings.SECRETS_KEYS = ["second-key-of-this-installation-987654321"]
    assert vapid_public_key() != public  # the old key dropped too early: a new pair


def test_a_new_secret_key_makes_a_new_pair_and_forgets_old_devices(alice, settings, caplog):
    old = vapid_public_key()
    PushSubscription.objects.create(
        person=alice, endpoint="https://push.example/old", p256dh=P256DH, auth=AUTH
    )
    settings.SECRET_KEY = "another-secret-key-for-this-installation-0123456789"
    with caplog.at_level(logging.WARNING, logger="portevoix.notifications"):
        new = vapid_public_key()
    assert new != old
    assert not PushSubscription.objects.exists()
    assert "cannot be read" in caplog.text
    assert vapid_public_key() == new


def test_the_profile_offers_this_device_and_lists_mine_only(
    alice, bob, alice_device, client_for, push_service
):
    bobs = push_service.subscribe(vapid_public_key())
    assert subscribe(client_for(bob), device_of(bobs)).status_code == 201
    client = client_for(alice)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'data-application-server-key="{vapid_public_key()}"' in page
    assert "Recevoir les notifications sur cet appareil" in page
    assert "notifications/push-settings.js" in page
    assert page.count("Firefox sur Android") == 1
    bob_device = PushSubscription.objects.get(person=bob)
    assert reverse("notifications:push_device_remove", args=[bob_device.pk]) not in page


def test_devices_are_in_the_export_without_their_endpoint_and_go_with_the_person(
    alice, alice_device
):
    from portevoix.notifications.privacy import export_person

    exported = export_person(alice)["push_devices"]
    assert [device["device"] for device in exported] == ["Firefox sur Android"]
    assert alice_device["endpoint"] not in json.dumps(exported)
    alice.delete()
    assert not PushSubscription.objects.exists()


def test_a_long_body_is_cut_to_what_push_services_accept(
    alice, alice_device, push_service, django_capture_on_commit_callbacks
):
    from portevoix.notifications.push.delivery import PAYLOAD_MAX_BYTES

    body = "Défi « été » : " + 'é\\n"' * 3000
    with django_capture_on_commit_callbacks(execute=True):
        person_notify(person=alice, kind=Kind.SYSTEM, title="É" * 200, body=body, email=False)
    [received] = push_service.messages(alice_device)
    assert len(received.encode()) <= PAYLOAD_MAX_BYTES
    message = json.loads(received)
    assert message["title"] == "É" * 200
    assert message["body"].endswith("…") and body.startswith(message["body"][:-1])


def test_a_person_keeps_at_most_twenty_devices_the_oldest_forgotten(
    alice, client_for, push_service
):
    from portevoix.notifications.push.subscriptions import DEVICES_PER_PERSON

    client = client_for(alice)
    issued = [push_service.subscribe(vapid_public_key()) for _ in range(DEVICES_PER_PERSON + 1)]
    for device in issued:
        assert subscribe(client, device_of(device)).status_code == 201
    kept = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == {device["endpoint"] for device in issued[1:]}


@pytest.mark.parametrize("who", ["anonymous", "erin", "dave", "alice", "bob", "carol"])
def test_every_signed_in_role_may_turn_a_device_on_and_anonymous_changes_nothing(
    request, db, charter, who, push_service
):
    from portevoix.core.tests.roles import assert_refused, client_as

    client = client_as(request, who)
    answer = subscribe(client, device_of(push_service.subscribe(vapid_public_key())))
    if who == "anonymous":
        assert_refused(answer, who)
        assert not PushSubscription.objects.exists()
    else:
        assert answer.status_code == 201
        assert PushSubscription.objects.get().person == request.getfixturevalue(who)


def test_a_device_taken_over_before_delivery_does_not_get_the_former_owners_notice(
    alice, bob, local_http
):
    from portevoix.notifications.push.tasks import push_device_task

    local_http.route("/push/shared", Answer(201))
    device = PushSubscription.objects.create(
        person=alice, endpoint=local_http.url("/push/shared"), p256dh=P256DH, auth=AUTH
    )
    notification = alice.notifications.create(kind=Kind.SYSTEM, title="Pour Alice")
    PushSubscription.objects.filter(pk=device.pk).update(person=bob)
    push_device_task(notification.pk, device.pk)
    assert local_http.requests == []
