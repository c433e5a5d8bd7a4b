"""Notifications for every role: everybody logged in reads and clears their own; only admins
manage Slack/Teams channels and the digest settings. A refused action changes nothing."""

import pytest
from django.urls import reverse

from portevoix.accounts.models import Person
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
    refused_cases,
    snapshot,
)
from portevoix.notifications.models import (
    Channel,
    ChannelDelivery,
    Notification,
    NotificationSettings,
)

STATE = (Person, Notification, Channel, ChannelDelivery, NotificationSettings, AuditEntry)


@pytest.fixture
def objects(db, alice, bob):
    # The webhook is never called: refused requests never reach it, allowed ones do not test it.
    channel = Channel.objects.create(kind="slack", name="#advocacy", webhook_url="https://x.test/h")
    for person in (alice, bob):
        Notification.objects.create(person=person, kind="system", title="Bienvenue")
    return {"channel": channel}


PAGES = [  # url name, object it needs, who opens it
    ("notifications:list", None, LOGGED_IN),
    ("notifications:channels", None, ADMIN),
    ("notifications:settings", None, ADMIN),
]


def channel_data(request) -> dict:
    hook = request.getfixturevalue("local_http").url("/hook")
    return {"kind": "teams", "name": "Com", "webhook_url": hook, "announce_posts": "on"}


def settings_data(request) -> dict:
    return {"digest_hour": "7", "weekly_digest_day": "4"}


def mark_read(request) -> dict:
    return {}


def channel_action(action: str):
    def data(request) -> dict:
        return {"action": action}

    return data


ACTIONS = [  # url name, object, who may, valid form data
    ("notifications:mark_read", None, LOGGED_IN, mark_read),
    ("notifications:channels", None, ADMIN, channel_data),
    ("notifications:channel_action", "channel", ADMIN, channel_action("disable")),
    ("notifications:channel_action", "channel", ADMIN, channel_action("delete")),
    ("notifications:settings", None, ADMIN, settings_data),
]
REFUSED_ONLY = [  # also refused, but not run for admins here: it calls the webhook
    ("notifications:channel_action", "channel", ADMIN, channel_action("test")),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,kind,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, kind, allowed):
    response = client_as(request, who).get(object_url(objects, name, kind))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize(
    "who,name,kind,data",
    refused_cases(ACTIONS + REFUSED_ONLY),
)
def test_a_refused_action_changes_nothing(request, objects, who, name, kind, data):
    payload = data(request)
    assert_post_refused(
        client_as(request, who), who, object_url(objects, name, kind), payload, STATE
    )


@pytest.mark.parametrize(
    "who,name,kind,data",
    [case for case in allowed_cases(ACTIONS) if case[1] != "notifications:mark_read"],
)
def test_an_allowed_action_does_its_work(request, objects, who, name, kind, data):
    payload = data(request)
    assert_post_done(client_as(request, who), object_url(objects, name, kind), payload, STATE)


def test_marking_as_read_touches_only_my_notifications(client_for, objects, alice, bob):
    response = client_for(alice).post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert Notification.objects.get(person=alice).read_at is not None
    assert Notification.objects.get(person=bob).read_at is None


@pytest.mark.parametrize("who", WHO)
def test_a_forged_unsubscribe_link_changes_nothing_for_anyone(request, objects, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    target = reverse("notifications:unsubscribe", args=["not-a-signed-token"])
    assert client.get(target).status_code == 400
    assert client.post(target).status_code == 400
    assert snapshot(*STATE) == before
