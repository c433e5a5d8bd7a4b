"""What an operator watches: `manage.py status` and the health page show the clicks waiting in
the inbox, the age of the oldest, the queue and each periodic task's last run; a periodic task
runs once a minute however many workers schedule it."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from portevoix.core.models import PeriodicRun
from portevoix.core.periodic import periodic_run_finish, periodic_run_start, periodic_tasks
from portevoix.tracking.inbox import inbox_pending
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.status import platform_status
from portevoix.tracking.tasks import ingest_clicks_periodically, ingest_clicks_task
from portevoix.tracking.tests.conftest import call

INGEST = "portevoix.tracking.tasks.ingest_clicks_periodically"


def test_a_periodic_task_runs_once_a_minute_and_a_second_start_is_counted(db):
    nine = datetime(2031, 3, 5, 9, 0, 12, tzinfo=UTC)
    first = periodic_run_start(INGEST, nine)
    assert first is not None
    assert periodic_run_start(INGEST, nine + timedelta(seconds=40)) is None  # same minute
    assert periodic_run_start(INGEST, nine + timedelta(seconds=47)) is None
    periodic_run_finish(first.pk, failed=False, now=nine + timedelta(seconds=3))
    run = PeriodicRun.objects.get(pk=first.pk)
    assert run.duplicates == 2 and run.finished_at == nine + timedelta(seconds=3)
    assert not run.failed
    assert periodic_run_start(INGEST, nine + timedelta(seconds=60)) is not None  # next minute
    assert periodic_run_start("portevoix.veille.tasks.fetch_due_sources", nine) is not None
    # Runs older than two days go as new ones start.
    later = periodic_run_start(INGEST, nine + timedelta(days=3))
    assert later is not None
    assert list(PeriodicRun.objects.filter(task=INGEST)) == [later]


def test_every_periodic_task_is_listed(db):
    names = periodic_tasks()
    assert INGEST in names
    assert "portevoix.notifications.tasks.send_due_digests" in names
    assert "portevoix.webhooks.tasks.deliver_due_webhooks" in names


def test_the_backlog_and_the_lag_count_what_waits_until_ingestion(redirect_app, link):
    empty = platform_status()
    assert empty.inbox.clicks == 0 and empty.lag_seconds is None
    before = time.time()
    for _ in range(3):
        assert call(redirect_app, f"/s/{link.code}").status == 302
    status = platform_status(now=before + 30)
    assert status.inbox.clicks == 3
    assert status.inbox.backend == ("postgresql" if status.inbox.segments is None else "files")
    if status.inbox.segments is not None:
        assert status.inbox.segments == 1  # one test process, one segment
        assert status.inbox.unshipped is None  # nothing to ship: the segments are the inbox
    assert 29 - 1 <= status.lag_seconds <= 30
    clicks_ingest()
    after = platform_status()
    assert after.inbox.clicks == 0 and after.lag_seconds is None


def test_the_command_prints_it_and_its_json_says_the_same(redirect_app, link):
    assert call(redirect_app, f"/s/{link.code}").status == 302
    periodic_run_start(INGEST)
    out = StringIO()
    call_command("status", stdout=out)
    text = out.getvalue()
    assert "1 clicks waiting" in text
    assert "ingestion lag: " in text and "ingestion lag: none" not in text
    assert f"{INGEST}: " in text and "running or interrupted" in text
    assert "portevoix.veille.tasks.fetch_due_sources: not run in the last two days" in text
    out = StringIO()
    call_command("status", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["inbox"]["clicks_waiting"] == 1
    assert document["ingestion_lag_seconds"] >= 0
    assert document["periodic_tasks"][INGEST]["finished_at"] is None
    assert document["periodic_tasks"]["portevoix.veille.tasks.fetch_due_sources"] is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_health_page_shows_it_in_both_languages(
    client_for, carol, link, redirect_app, language
):
    assert call(redirect_app, f"/s/{link.code}").status == 302
    run = periodic_run_start(INGEST)
    periodic_run_finish(run.pk, failed=True)
    carol.language = language  # a signed-in person's pages are in their language
    carol.save(update_fields=["language"])
    client = client_for(carol)
    response = client.get(reverse("tracking:health"))
    assert response.status_code == 200
    page = response.content.decode()
    if language == "fr":
        assert "Clics en attente dans la file d'entrée" in page
        assert "échouée" in page and "Tâches périodiques" in page
    else:
        assert "Clicks waiting in the inbox" in page and "failed" in page
    assert '<dd id="inbox-clicks">1' in page
    assert INGEST in page
    document = client.get(reverse("tracking:health_json")).json()
    assert document["inbox"]["clicks_waiting"] == 1
    assert document["periodic_tasks"][INGEST]["failed"] is True


@pytest.fixture
def as_a_worker():
    """Huey as in `run_huey` (tasks queued, not run inline): its pre- and post-execute hooks
    apply to what it executes."""
    HUEY.immediate = False
    yield HUEY
    HUEY.immediate = True


def test_in_a_worker_the_second_run_of_a_minute_is_cancelled_before_it_starts(
    redirect_app, link, as_a_worker
):
    while datetime.now().second > 45:  # both runs in one minute
        time.sleep(1)
    assert call(redirect_app, f"/s/{link.code}").status == 302
    as_a_worker.execute(ingest_clicks_periodically.task_class())
    assert inbox_pending() == 0  # the first run of the minute ingested
    run = PeriodicRun.objects.get(task=INGEST)
    assert run.finished_at is not None and not run.failed

    assert call(redirect_app, f"/s/{link.code}").status == 302
    as_a_worker.execute(ingest_clicks_periodically.task_class())  # another worker's, same minute
    assert inbox_pending() == 1  # cancelled: it did not run
    assert PeriodicRun.objects.get(task=INGEST).duplicates == 1

    as_a_worker.execute(ingest_clicks_task.task_class())  # a task queued for once is not concerned
    assert inbox_pending() == 0
