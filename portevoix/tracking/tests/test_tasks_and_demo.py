"""The background tasks drain the inbox; the demo builds links and a month of activity."""

import random

from django.core.management import call_command

from portevoix.content.models import Post
from portevoix.core.demo import DemoWorld
from portevoix.tracking.demo import build
from portevoix.tracking.inbox import inbox_pending
from portevoix.tracking.models import Click, ClickCount, Conversion, TrackedLink
from portevoix.tracking.tasks import ingest_clicks_periodically, ingest_clicks_task, ingest_soon
from portevoix.tracking.tests.conftest import call


def test_the_ingestion_tasks_drain_the_inbox(redirect_app, link):
    call(redirect_app, f"/s/{link.code}")
    ingest_clicks_task.call_local()
    assert Click.objects.count() == 1
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.3")
    ingest_clicks_periodically.call_local()
    assert Click.objects.count() == 2 and inbox_pending() == 0


def test_the_nudge_does_nothing_when_tasks_run_inline(redirect_app, link):
    call(redirect_app, f"/s/{link.code}")
    ingest_soon()  # tests run Huey in immediate mode: it must not ingest in the writer thread
    assert inbox_pending() == 1


def test_the_management_command_reports_what_it_did(redirect_app, link, capsys):
    call(redirect_app, f"/s/{link.code}")
    call_command("ingest_clicks", "--batch-size", "10", verbosity=2)
    output = capsys.readouterr().out
    assert "batch 1: 1 raw clicks" in output
    assert "1 raw clicks ingested in 1 batches" in output


def test_the_demo_builds_links_clicks_and_conversions_from_the_posts(db, inbox_dir):
    Post.objects.create(title="Offre de technicien", url="https://carrieres.example.com/offres/1")
    call_command("demo")
    assert TrackedLink.objects.exists()
    assert Click.objects.count() > 500
    assert set(Click.objects.values_list("kind", flat=True)) == {0, 1, 2, 3}
    assert Conversion.objects.exists()
    assert ClickCount.objects.filter(property="verified", dimension="all").exists()


def test_the_demo_copes_without_posts(alice):
    Post.objects.all().delete()
    build(DemoWorld(rng=random.Random(1), people=[alice]))
    assert not TrackedLink.objects.exists()
