import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.core.testing import Answer
from portevoix.notifications.channels import channel_announce, deliveries_send_due
from portevoix.notifications.models import Channel, ChannelDelivery, Notification


@pytest.fixture
def slack(db, local_http):
    return Channel.objects.create(
        kind="slack", name="#advocacy", webhook_url=local_http.url("/slack")
    )


@pytest.fixture
def teams(db, local_http):
    return Channel.objects.create(kind="teams", name="Com", webhook_url=local_http.url("/teams"))


def bodies(server, path):
    return [json.loads(b) for b in server.bodies.get(path, [])]


@pytest.fixture(autouse=True)
def _record_bodies(local_http):
    local_http.bodies = {}

    def recorder(status, text=b"ok"):
        def handler(request):
            body = request.rfile.read(int(request.headers["Content-Length"]))
            local_http.bodies.setdefault(request.path, []).append(body)
            return Answer(status=status, body=text)

        return handler

    local_http.recorder = recorder


def make_due():
    ChannelDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_new_post_is_announced_to_slack_and_teams(local_http, slack, teams):
    local_http.route("/slack", local_http.recorder(200, b"ok"))
    local_http.route("/teams", local_http.recorder(202, b""))
    assert (
        channel_announce(
            event="posts",
            title="Nouvelle offre",
            text="Un poste à Lyon",
            url="https://x.example/p/1",
        )
        == 2
    )
    assert deliveries_send_due() == 2
    slack_body = bodies(local_http, "/slack")[0]
    assert "Nouvelle offre" in slack_body["text"]
    assert slack_body["blocks"][1]["elements"][0]["url"] == "https://x.example/p/1"
    card = bodies(local_http, "/teams")[0]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["text"] == "Nouvelle offre"
    assert card["content"]["actions"][0]["url"] == "https://x.example/p/1"
    slack.refresh_from_db()
    assert slack.last_success_at is not None


def test_a_server_error_is_retried_with_back_off(local_http, slack):
    local_http.route("/slack", local_http.recorder(503, b"busy"))
    channel_announce(event="posts", title="T", text="", url="")
    deliveries_send_due()
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    assert "503" in delivery.last_error
    assert deliveries_send_due() == 0  # not due yet
    local_http.route("/slack", local_http.recorder(200))
    make_due()
    assert deliveries_send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2


def test_a_time_out_is_retried(local_http, slack, settings):
    settings.WEBHOOK_TIMEOUT = 1
    local_http.route("/slack", Answer(body=b"ok", delay=2))
    channel_announce(event="posts", title="T", text="", url="")
    deliveries_send_due()
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_error


def test_a_webhook_refused_for_good_disables_the_channel_and_tells_admins(local_http, slack, carol):
    local_http.route("/slack", local_http.recorder(404, b"no_service"))
    channel_announce(event="posts", title="A", text="", url="")
    channel_announce(event="posts", title="B", text="", url="")
    deliveries_send_due()
    slack.refresh_from_db()
    assert not slack.enabled
    assert "404" in slack.disabled_reason
    assert set(ChannelDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert len(local_http.requests) == 1
    assert Notification.objects.filter(person=carol, title__contains="#advocacy").exists()
    assert channel_announce(event="posts", title="C", text="", url="") == 0


def test_delivery_gives_up_after_the_last_attempt(local_http, slack):
    local_http.route("/slack", local_http.recorder(500))
    channel_announce(event="posts", title="T", text="", url="")
    for _ in range(8):
        make_due()
        deliveries_send_due()
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 8
    slack.refresh_from_db()
    assert slack.enabled


def test_channels_choose_their_events(local_http, slack, teams):
    teams.announce_challenges = False
    teams.save()
    assert channel_announce(event="challenges", title="Résultats", text="", url="") == 1


def test_admin_adds_and_tests_a_channel(client_for, carol, local_http):
    local_http.route("/hook", local_http.recorder(200))
    client = client_for(carol)
    response = client.post(
        reverse("notifications:channels"),
        {
            "kind": "slack",
            "name": "#news",
            "webhook_url": local_http.url("/hook"),
            "announce_posts": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="#news")
    client.post(reverse("notifications:channel_action", args=[channel.pk]), {"action": "test"})
    assert len(bodies(local_http, "/hook")) == 1


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "http://hooks.slack.com/services/x", "ftp://example.com/", "not a url"],
)
def test_bad_webhook_urls_are_refused(client_for, carol, url):
    response = client_for(carol).post(
        reverse("notifications:channels"), {"kind": "slack", "name": "#bad", "webhook_url": url}
    )
    assert response.status_code == 200
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/services/x",
        "https://[::1]/hook",
        "https://[::127.0.0.1]/hook",
        "https://[64:ff9b::7f00:1]/hook",
        "https://[::ffff:0:7f00:1]/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_webhooks_to_private_or_unknown_hosts_are_refused_when_entered(
    client_for, carol, settings, url
):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []  # this file's local server allows 127.0.0.1
    response = client_for(carol).post(
        reverse("notifications:channels"), {"kind": "slack", "name": "#bad", "webhook_url": url}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["webhook_url"]
    assert not Channel.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "erin"])
def test_only_admins_manage_channels(request, client_for, who, slack):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("notifications:channels")).status_code == 403
    assert client.get(reverse("notifications:settings")).status_code == 403
    response = client.post(
        reverse("notifications:channel_action", args=[slack.pk]), {"action": "delete"}
    )
    assert response.status_code == 403
    assert Channel.objects.filter(pk=slack.pk).exists()


def test_admin_sets_the_digest_hour_and_bad_values_are_refused(client_for, carol):
    from portevoix.notifications.models import NotificationSettings

    client = client_for(carol)
    assert (
        client.post(
            reverse("notifications:settings"), {"digest_hour": "25", "weekly_digest_day": "0"}
        ).status_code
        == 200
    )
    assert NotificationSettings.current().digest_hour == 8
    assert (
        client.post(
            reverse("notifications:settings"), {"digest_hour": "7", "weekly_digest_day": "4"}
        ).status_code
        == 302
    )
    assert NotificationSettings.current().digest_hour == 7


def test_a_long_title_with_line_breaks_is_queued_on_one_line_within_its_column(local_http, slack):
    title = "Challenge “" + "Défi\r\n" * 60 + "” is over"  # longer than the column's 200
    assert channel_announce(event="challenges", title=title, text="", url="") == 1
    queued = ChannelDelivery.objects.get().title
    assert len(queued) == 200 and "\n" not in queued and queued.startswith("Challenge “Défi Défi")


def test_a_webhook_saved_with_a_private_address_disables_its_channel_at_the_first_try(
    local_http, settings, carol
):
    """A channel entered before webhooks were checked at input: the guard's refusal cannot
    pass, so it is not retried for four hours; the channel is disabled and admins told."""
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    channel = Channel.objects.create(
        kind="slack", name="#old", webhook_url="https://[::127.0.0.1]/h"
    )
    channel_announce(event="posts", title="T", text="", url="")
    deliveries_send_due()
    delivery = ChannelDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 1
    channel.refresh_from_db()
    assert not channel.enabled and "::127.0.0.1" in channel.disabled_reason
    assert Notification.objects.filter(person=carol, title__contains="#old").exists()
