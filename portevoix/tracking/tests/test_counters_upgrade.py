"""The upgrade that stops hourly counters per link deletes the ones already there, and only
those."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portevoix.tracking.models import ClickCount

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("tracking", "0011_click_checks_fewer_per_row")


def test_the_links_hourly_counters_go_and_every_other_counter_stays():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: later tests need them all
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("tracking", "ClickCount")
    start = datetime(2026, 12, 7, 9, tzinfo=UTC)
    for dimension, key in (("link", "7"), ("post", "3"), ("all", "")):
        for frequency in ("hour", "day", "month"):
            old.objects.create(
                dimension=dimension,
                key=key,
                property="raw",
                frequency=frequency,
                start=start,
                value=5,
            )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    kept = set(ClickCount.objects.values_list("dimension", "frequency", "value"))
    assert kept == {
        ("link", "day", 5),
        ("link", "month", 5),
        ("post", "hour", 5),
        ("post", "day", 5),
        ("post", "month", 5),
        ("all", "hour", 5),
        ("all", "day", 5),
        ("all", "month", 5),
    }
