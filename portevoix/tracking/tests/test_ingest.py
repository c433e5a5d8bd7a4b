"""Ingestion: the inbox becomes classified clicks and rollups, exactly once."""

import os
import time
from datetime import datetime, timedelta
from datetime import time as clock

import pytest
from django.db import connection
from django.utils import timezone

from portevoix.accounts.models import Group
from portevoix.accounts.participation import ambassador_opt_out
from portevoix.tracking.inbox import (
    inbox_directory,
    inbox_is_postgres,
    inbox_pending,
    inbox_writer,
)
from portevoix.tracking.inbox_log import (
    SEGMENT_DELETE_AGE,
    SEGMENT_MAX_AGE,
    LogInboxWriter,
    records,
    segments,
)
from portevoix.tracking.ingest import _checkpoint_move, clicks_ingest, log_segments_cleanup
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Click, ClickCount, ClickKind, IngestCheckpoint
from portevoix.tracking.selfclick import SELF_COOKIE, self_token_for
from portevoix.tracking.signals import verified_clicks_ingested
from portevoix.tracking.spool import spool_ship
from portevoix.tracking.tests.conftest import (
    FIREFOX,
    call,
    click_id_of,
    figures_verified,
    inbox_clicks,
)
from portevoix.tracking.visitors import organisation_zone

CHROME_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)


def inbox_dir_now():
    return inbox_directory()


def count(dimension, key, prop, frequency="day", subgroup=""):
    return sum(
        ClickCount.objects.filter(
            dimension=dimension, key=str(key), property=prop, frequency=frequency, subgroup=subgroup
        ).values_list("value", flat=True)
    )


def local(day_offset: int, hour: int, minute: int = 0) -> float:
    """A Unix time: organisation-local clock time, `day_offset` days from today."""
    day = timezone.localdate(timezone.now(), organisation_zone()) + timedelta(days=day_offset)
    return datetime.combine(day, clock(hour, minute), tzinfo=organisation_zone()).timestamp()


@pytest.fixture
def groups(alice):
    paris, ventes = Group.objects.create(name="Paris"), Group.objects.create(name="Ventes")
    alice.groups.set([paris, ventes])
    return paris, ventes


def test_clicks_are_classified_stored_and_counted(redirect_app, link, groups, alice):
    code = f"/s/{link.code}"
    first = call(redirect_app, code, referer="https://www.linkedin.com/feed/")
    call(redirect_app, code)  # same visitor, same link, same day: a repeat
    call(redirect_app, code, user_agent=CHROME_PHONE, ip="198.51.100.21")  # a phone elsewhere
    call(redirect_app, code, ip="198.51.100.20")  # another visitor
    call(redirect_app, code, user_agent="LinkedInBot/1.0 (compatible; Mozilla/5.0)")
    call(redirect_app, code, cookie=f"{SELF_COOKIE}={self_token_for(alice.pk)}")
    call(redirect_app, code, method="HEAD")  # not a click at all

    report = clicks_ingest()

    assert report.raw == 6
    assert report.by_kind == {"verified": 3, "repeat": 1, "bot": 1, "self": 1}
    kinds = dict(Click.objects.values_list("click_id", "kind"))
    assert kinds[click_id_of(first)] == ClickKind.VERIFIED
    stored = Click.objects.get(click_id=click_id_of(first))
    assert (stored.device, stored.referrer_host, stored.link_id) == (
        "desktop",
        "www.linkedin.com",
        link.pk,
    )
    assert Click.objects.get(kind=ClickKind.VERIFIED, device="mobile")
    for dimension, key in [
        ("all", ""),
        ("link", link.pk),
        ("post", link.post_id),
        ("ambassador", alice.pk),
        ("network", "linkedin"),
        ("campaign", link.post.campaign_id),
        ("group", groups[0].pk),
        ("group", groups[1].pk),
    ]:
        # No hourly counters per link: nothing reads them (rollups.py).
        for frequency in ("hour", "day") if dimension != "link" else ("day",):
            assert count(dimension, key, "raw", frequency) == 6, (dimension, frequency)
            assert count(dimension, key, "verified", frequency) == 3
            assert count(dimension, key, "repeat", frequency) == 1
            assert count(dimension, key, "bot", frequency) == 1
            assert count(dimension, key, "self", frequency) == 1
    assert count("post", link.post_id, "visitors") == 3
    assert count("campaign", link.post.campaign_id, "visitors") == 3
    assert count("all", "", "visitors") == 3
    assert inbox_pending() == 0
    figures_verified()


def test_running_ingestion_again_counts_nothing_twice(redirect_app, link):
    for n in range(5):
        call(redirect_app, f"/s/{link.code}", ip=f"198.51.100.{n}")
    clicks_ingest()
    clicks_ingest()
    assert Click.objects.count() == 5
    assert count("link", link.pk, "raw") == 5
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.99")
    clicks_ingest()
    assert count("link", link.pk, "raw") == 6
    assert count("all", "", "visitors") == 6


def test_small_batches_count_the_same_as_one(redirect_app, link, inbox_dir):
    for n in range(7):
        call(redirect_app, f"/s/{link.code}", ip=f"198.51.100.{n % 3}")
    if connection.vendor == "postgresql":
        # Shipped as a web node's thread does, a few records to a row: PostgreSQL claims whole
        # rows, so rows of 2 clicks make batches of 2.
        connection.ensure_connection()
        spool_ship(inbox_dir, connection.connection, max_rows=2)
    report = clicks_ingest(batch_size=2)
    assert report.batches == 4
    assert count("link", link.pk, "raw") == 7
    assert count("link", link.pk, "verified") == 3
    assert count("link", link.pk, "repeat") == 4
    figures_verified()


def test_a_batch_already_claimed_cannot_be_claimed_again(redirect_app, link):
    """Two ingestion runs reading the same records: the checkpoint's conditional write lets
    only one of them count."""
    if inbox_is_postgres():
        pytest.skip("PostgreSQL claims rows with FOR UPDATE SKIP LOCKED")
    call(redirect_app, f"/s/{link.code}")
    [segment] = segments(inbox_dir_now())
    end = next(records(segment, 0)).end
    clicks_ingest()
    assert not _checkpoint_move(segment.name, 0, end)  # a late run that read from 0
    assert not _checkpoint_move(segment.name, 3, end)  # or from a stale offset
    assert count("link", link.pk, "raw") == 1


def test_damaged_records_stop_the_reading_without_breaking_anything(make_app, link):
    if inbox_is_postgres():
        pytest.skip("the PostgreSQL inbox has no files")
    call(make_app(), f"/s/{link.code}", ip="198.51.100.1")
    [segment] = segments(inbox_dir_now())
    with segment.open("ab") as handle:  # what an operating-system crash can leave
        handle.write(b"\x40\x00\x00\x00\x00\x00")
    assert clicks_ingest().raw == 1
    assert inbox_pending() == 0
    old = time.time() - 2 * SEGMENT_DELETE_AGE
    os.utime(segment, (old, old))
    call(make_app(), f"/s/{link.code}", ip="198.51.100.2")  # the restarted server: a new segment
    assert clicks_ingest().raw == 1
    assert not segment.exists()
    assert count("link", link.pk, "raw") == 2


def test_finished_segments_are_deleted_but_young_ones_stay(redirect_app, link):
    if inbox_is_postgres():
        pytest.skip("the PostgreSQL inbox has no files")
    call(redirect_app, f"/s/{link.code}")
    clicks_ingest()
    [segment] = segments(inbox_dir_now())
    assert IngestCheckpoint.objects.filter(name=segment.name).exists()  # consumed, but young
    old = time.time() - 2 * SEGMENT_DELETE_AGE
    os.utime(segment, (old, old))
    assert log_segments_cleanup() == 1
    assert not segment.exists()
    assert not IngestCheckpoint.objects.exists()


def test_a_writer_moves_to_a_new_segment_before_one_can_be_deleted(tmp_path):
    writer = LogInboxWriter(tmp_path)
    writer.write([("abc", 1.0, "ua", "", "c" * 16, "v" * 32, "")])
    writer._roll_at -= SEGMENT_MAX_AGE + 1  # ten minutes later
    writer.write([("abc", 2.0, "ua", "", "d" * 16, "v" * 32, "")])
    first, second = segments(tmp_path)
    assert [r.rows[0][1] for r in records(first, 0)] == [1.0]
    assert [r.rows[0][1] for r in records(second, 0)] == [2.0]
    assert SEGMENT_DELETE_AGE > 2 * SEGMENT_MAX_AGE
    writer.reset()


def test_segments_opened_in_the_same_millisecond_sort_in_the_order_they_were_written(tmp_path):
    writer = LogInboxWriter(tmp_path)
    for second in range(12):  # crosses 9 → 10 in the sequence whichever number it starts at
        writer._roll_at = 0.0  # due for a new segment at once, as after SEGMENT_MAX_AGE
        writer.write([("abc", float(second), "ua", "", "c" * 16, "v" * 32, "")])
    found = [records(segment, 0) for segment in segments(tmp_path)]
    assert [next(iter(r)).rows[0][1] for r in found] == [float(n) for n in range(12)]
    writer.reset()


def test_ids_never_go_back_after_the_inbox_is_emptied(redirect_app, link):
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.1")
    clicks_ingest()
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.2")
    clicks_ingest()
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.3")
    clicks_ingest()
    assert count("link", link.pk, "raw") == 3


def test_repeats_are_per_day_and_per_link(make_app, link, post, alice):
    other = tracked_link_for(post=post, ambassador=alice, network="x")
    today = make_app(clock=lambda: local(1, 10))
    call(today, f"/s/{link.code}")
    call(today, f"/s/{link.code}")
    call(today, f"/s/{other.code}")  # same visitor, other link: verified
    tomorrow = make_app(clock=lambda: local(2, 9))
    call(tomorrow, f"/s/{link.code}")  # next day: verified again
    clicks_ingest()
    assert count("link", link.pk, "verified") == 2
    assert count("link", link.pk, "repeat") == 1
    assert count("link", other.pk, "verified") == 1
    # The same person reading the same post through two links is one unique visitor.
    day_one = ClickCount.objects.filter(
        dimension="post", key=str(post.pk), property="visitors", frequency="day"
    ).order_by("start")
    assert [row.value for row in day_one] == [1, 1]
    figures_verified()


@pytest.mark.parametrize("batch_size", [50_000, 7])
def test_many_browsers_from_one_address_on_one_link_within_minutes_are_one_visitor(
    make_app, link, post, alice, batch_size
):
    other = tracked_link_for(post=post, ambassador=alice, network="x")
    now = [local(1, 10)]
    app = make_app(clock=lambda: now[0])
    for n in range(100):  # one user agent after another, a second apart
        now[0] = local(1, 10) + n
        call(app, f"/s/{link.code}", user_agent=f"{FIREFOX} rotation/{n}")
    call(app, f"/s/{other.code}", user_agent=f"{FIREFOX} rotation/0")  # another link
    call(app, f"/s/{link.code}", ip="198.51.100.20", user_agent=FIREFOX)  # another address
    clicks_ingest(batch_size=batch_size)
    assert count("link", link.pk, "verified") == 2
    assert count("link", link.pk, "repeat") == 99
    assert count("link", other.pk, "verified") == 1
    assert count("post", post.pk, "visitors") == 2
    figures_verified()


def test_another_browser_of_the_same_address_counts_again_after_the_window(make_app, link):
    first, later = make_app(clock=lambda: local(1, 10)), make_app(clock=lambda: local(1, 10, 20))
    code = f"/s/{link.code}"
    call(first, code)
    call(first, code, user_agent=CHROME_PHONE)  # the same address within minutes: a repeat
    call(first, code, user_agent=f"{FIREFOX} other")  # and another: a repeat too
    call(later, code, user_agent=CHROME_PHONE)  # twenty minutes later: a visitor of its own
    call(later, code)  # the first browser again, already counted today: a repeat
    clicks_ingest()
    assert count("link", link.pk, "verified") == 2
    assert count("link", link.pk, "repeat") == 3


def test_day_buckets_follow_the_organisation_calendar(make_app, link):
    late = make_app(clock=lambda: local(1, 23, 30))
    early = make_app(clock=lambda: local(2, 0, 30))
    call(late, f"/s/{link.code}")
    call(early, f"/s/{link.code}")
    clicks_ingest()
    days = ClickCount.objects.filter(dimension="link", property="raw", frequency="day").order_by(
        "start"
    )
    zone = organisation_zone()
    assert [(row.start.astimezone(zone).hour, row.value) for row in days] == [(0, 1), (0, 1)]
    assert days[1].start - days[0].start in (
        timedelta(hours=23),
        timedelta(hours=24),
        timedelta(hours=25),
    )
    assert not ClickCount.objects.filter(dimension="link", frequency="hour").exists()
    hours = ClickCount.objects.filter(dimension="post", property="raw", frequency="hour")
    assert sorted(row.start.astimezone(zone).strftime("%H:%M") for row in hours) == [
        "00:00",
        "23:00",
    ]
    figures_verified()


def test_clicks_on_an_opted_out_ambassadors_links_are_not_tracked(redirect_app, link, alice):
    call(redirect_app, f"/s/{link.code}")
    ambassador_opt_out(person=alice)
    answer = call(redirect_app, f"/s/{link.code}")
    assert answer.status == 302  # the visitor still reaches the content
    report = clicks_ingest()
    assert (report.raw, report.stored) == (2, 0)
    assert Click.objects.count() == 0
    assert ClickCount.objects.count() == 0
    assert inbox_pending() == 0


def test_verified_clicks_are_announced_after_commit(redirect_app, link, alice):
    received = []

    def receiver(sender, clicks, **kwargs):
        received.extend(clicks)

    verified_clicks_ingested.connect(receiver)
    try:
        answer = call(redirect_app, f"/s/{link.code}")
        call(redirect_app, f"/s/{link.code}")  # a repeat: not announced
        call(redirect_app, f"/s/{link.code}", user_agent="Twitterbot/1.0")
        clicks_ingest()
    finally:
        verified_clicks_ingested.disconnect(receiver)
    [(click_id, link_id, ambassador_id, post_id, at)] = received
    assert (click_id, link_id, ambassador_id, post_id) == (
        click_id_of(answer),
        link.pk,
        alice.pk,
        link.post_id,
    )
    assert abs(timezone.now().timestamp() - at) < 60


def test_a_browser_user_agent_is_stored_as_sent_and_classified(redirect_app, link):
    call(redirect_app, f"/s/{link.code}", user_agent=FIREFOX)
    clicks_ingest()
    assert Click.objects.get().kind == ClickKind.VERIFIED


def test_a_row_of_another_shape_is_skipped_not_blocking(redirect_app, link):
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.1")
    writer = inbox_writer()  # the file inbox or the PostgreSQL table, as configured
    writer.write([("only", "three", "fields")])  # what no redirect of this version writes
    writer.reset()
    call(redirect_app, f"/s/{link.code}", ip="198.51.100.2")
    assert len(inbox_clicks()) == 2
    report = clicks_ingest()
    assert report.raw == 2
    assert count("link", link.pk, "raw") == 2
    assert inbox_pending() == 0
