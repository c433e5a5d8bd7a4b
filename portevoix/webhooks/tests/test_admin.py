"""The webhooks pages: admins only; bad input is refused with the reason and stores nothing;
the secret is shown once and kept sealed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
    refused_cases,
)
from portevoix.webhooks.endpoints import endpoint_create
from portevoix.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

STATE = (WebhookEndpoint, WebhookEvent, WebhookDelivery, WebhookAttempt, AuditEntry)
PAGE = reverse("webhooks:endpoints")


@pytest.fixture
def objects(db, carol, bob):
    # Never called: refused requests never reach it; allowed ones here do not post to it.
    endpoint, _secret = endpoint_create(
        name="CRM", url="https://x.test/hook", events=["post.published"], active=True, actor=carol
    )
    event = WebhookEvent.objects.create(uid="msg_test", type="post.published", data={})
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, status="failed", retry_until=event.created_at
    )
    return {"endpoint": endpoint, "delivery": delivery}


def endpoint_data(request) -> dict:
    url = request.getfixturevalue("local_http").url("/hook")
    return {"name": "ERP", "url": url, "events": ["share.created"], "active": "on"}


def action(name: str):
    return lambda request: {"action": name}


def nothing(request) -> dict:
    return {}


PAGES = [
    ("webhooks:endpoints", None, ADMIN),
    ("webhooks:endpoint", "endpoint", ADMIN),
]
ACTIONS = [  # url name, object, who may, data, status when done
    ("webhooks:endpoints", None, ADMIN, endpoint_data, 200),
    ("webhooks:endpoint_action", "endpoint", ADMIN, action("disable"), 302),
    ("webhooks:endpoint_action", "endpoint", ADMIN, action("rotate"), 200),
    ("webhooks:endpoint_action", "endpoint", ADMIN, action("delete"), 302),
]
REFUSED_ONLY = [  # refused for the others; for admins they post to the endpoint
    ("webhooks:endpoint_action", "endpoint", ADMIN, action("test")),
    ("webhooks:delivery_send_again", "delivery", ADMIN, nothing),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,target,allowed", PAGES)
def test_each_page_opens_for_admins_only(request, objects, who, name, target, allowed):
    response = client_as(request, who).get(object_url(objects, name, target))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who,name,target,data", refused_cases(ACTIONS + REFUSED_ONLY))
def test_a_refused_action_changes_nothing(request, objects, who, name, target, data):
    url = object_url(objects, name, target)
    assert_post_refused(client_as(request, who), who, url, data(request), STATE)


@pytest.mark.parametrize("who,name,target,data,status", allowed_cases(ACTIONS))
def test_an_allowed_action_does_its_work(request, objects, who, name, target, data, status):
    url = object_url(objects, name, target)
    assert_post_done(client_as(request, who), url, data(request), STATE, status=status)


def test_the_secret_is_shown_once_and_stored_sealed(client_for, carol, local_http):
    client = client_for(carol)
    response = client.post(
        PAGE, {"name": "ERP", "url": local_http.url("/hook"), "events": ["post.published"]}
    )
    secret = response.context["new_secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.active  # the box was left unticked
    assert secret.encode() not in bytes(endpoint.secret_sealed)
    page = client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert secret not in page
    assert AuditEntry.objects.filter(action="webhook_added", actor=carol).exists()


def test_a_test_event_and_send_again_reach_the_endpoint(
    client_for, carol, local_http, django_capture_on_commit_callbacks
):
    from portevoix.core.testing import Answer

    local_http.route("/hook", Answer(200, b"ok"))
    endpoint, _secret = endpoint_create(
        name="ERP", url=local_http.url("/hook"), events=["post.published"], active=True, actor=carol
    )
    client = client_for(carol)
    client.post(reverse("webhooks:endpoint_action", args=[endpoint.pk]), {"action": "test"})
    delivery = WebhookDelivery.objects.get(event__type="webhook.test")
    assert delivery.status == "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhooks:delivery_send_again", args=[delivery.pk]))
    assert delivery.attempt_log.count() == 2
    assert [r[1] for r in local_http.requests] == ["/hook", "/hook"]
    assert AuditEntry.objects.filter(action="webhook_sent_again", actor=carol).exists()
    page = client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert "webhook.test" in page and "200" in page


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",  # not https
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://[::1]/hook",
        "https://[::ffff:7f00:1]/hook",
        "https://no-such-host.invalid/hook",
        "javascript:alert(1)",
        "not a url",
        "",
    ],
)
def test_bad_urls_are_refused_with_the_reason(client_for, carol, settings, url):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    response = client_for(carol).post(
        PAGE, {"name": "ERP", "url": url, "events": ["post.published"], "active": "on"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "events,message",
    [([], "Choisissez au moins un événement."), (["click.everything"], "click.everything")],
)
def test_events_must_be_chosen_among_those_offered(client_for, carol, local_http, events, message):
    response = client_for(carol).post(
        PAGE, {"name": "ERP", "url": local_http.url("/hook"), "events": events, "active": "on"}
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["events"])
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_action_changes_nothing(client_for, objects):
    from portevoix.core.tests.roles import snapshot

    client = client_for(objects["endpoint"].created_by)
    before = snapshot(*STATE)
    target = reverse("webhooks:endpoint_action", args=[objects["endpoint"].pk])
    assert client.post(target, {"action": "explode"}).status_code == 302
    assert snapshot(*STATE) == before


def test_sending_again_to_a_disabled_endpoint_is_refused(client_for, carol, objects):
    from portevoix.core.tests.roles import snapshot

    WebhookEndpoint.objects.update(active=False)
    before = snapshot(*STATE)
    client_for(carol).post(
        reverse("webhooks:delivery_send_again", args=[objects["delivery"].pk]), follow=True
    )
    assert snapshot(*STATE) == before
