"""The upgrade to one inbox row per group keeps the clicks still waiting in the old table."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portevoix.tracking.inbox import inbox_is_postgres, inbox_pending, inbox_pending_clicks
from portevoix.tracking.models import ClickInbox

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("tracking", "0007_scanner_networks_and_kind")
AGENT = 'Mozilla/5.0 (X11; Linux x86_64) "quoted" \\ tab\there'


def test_clicks_waiting_at_the_upgrade_become_groups_of_one(inbox_dir):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: later tests need them all
    executor.migrate([OLD])
    old = executor.loader.project_state([OLD]).apps.get_model("tracking", "ClickInbox")
    for n in range(2):
        old.objects.create(
            code="abc123",
            at=1900000000.25 + n,
            user_agent=AGENT,
            referrer="https://www.linkedin.com/",
            click_id=f"click{n}",
            visitor="0123456789abcdef" * 2,
            self_token="",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    groups = list(ClickInbox.objects.order_by("id").values_list("size", "clicks"))
    assert [(size, json.loads(clicks)[0][4]) for size, clicks in groups] == [
        (1, "click0"),
        (1, "click1"),
    ]
    if inbox_is_postgres():  # with SQLite the inbox is made of files, the table is unused
        clicks = inbox_pending_clicks()
        assert [(click.click_id, click.at, click.user_agent) for click in clicks] == [
            ("click0", 1900000000.25, AGENT),
            ("click1", 1900000001.25, AGENT),
        ]
        assert inbox_pending() == 2
