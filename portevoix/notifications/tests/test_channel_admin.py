"""What an admin does to a channel from its page, as services (notifications/channels.py)."""

import pytest

from portevoix.core.models import AuditEntry
from portevoix.core.testing import Answer
from portevoix.notifications.channels import channel_delete, channel_set_enabled, channel_test
from portevoix.notifications.models import Channel


@pytest.fixture
def slack(db, local_http):
    return Channel.objects.create(
        kind="slack", name="#advocacy", webhook_url=local_http.url("/slack")
    )


def test_a_test_message_that_arrives_answers_no_error(local_http, slack):
    local_http.route("/slack", lambda request: Answer(status=200, body=b"ok"))
    assert channel_test(channel=slack) is None


def test_a_test_message_refused_answers_why(local_http, slack):
    local_http.route("/slack", lambda request: Answer(status=404, body=b"no_service"))
    error = channel_test(channel=slack)
    assert error and "404" in error
    slack.refresh_from_db()
    assert not slack.enabled


def test_enabling_forgets_why_the_channel_was_disabled(slack):
    Channel.objects.filter(pk=slack.pk).update(enabled=False, disabled_reason="HTTP 404")
    slack.refresh_from_db()
    channel_set_enabled(channel=slack, enabled=True)
    slack.refresh_from_db()
    assert slack.enabled and slack.disabled_reason == ""


def test_disabling_keeps_the_reason_it_had(slack):
    Channel.objects.filter(pk=slack.pk).update(disabled_reason="HTTP 404")
    slack.refresh_from_db()
    channel_set_enabled(channel=slack, enabled=False)
    slack.refresh_from_db()
    assert not slack.enabled and slack.disabled_reason == "HTTP 404"


def test_deleting_a_channel_is_audited(slack, carol):
    channel_delete(channel=slack, actor=carol)
    assert not Channel.objects.exists()
    assert AuditEntry.objects.get().action == "channel_deleted"
