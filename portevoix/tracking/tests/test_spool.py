"""The multi-node inbox: a web node's segment files shipped to the PostgreSQL inbox table
(tracking/spool.py) — every record once, whoever ships, whatever fails in between."""

from __future__ import annotations

import json
import os
import threading
import time
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Sum

from portevoix.tracking.conversions import inbox_find
from portevoix.tracking.inbox import inbox_directory, inbox_pending, inbox_pending_clicks
from portevoix.tracking.inbox_log import (
    HEADER,
    SEGMENT_DELETE_AGE,
    LogInboxWriter,
    records_raw,
    segments,
)
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import Click, ClickInbox, SpoolCheckpoint
from portevoix.tracking.spool import (
    Shipper,
    node_id,
    node_shipping_lock,
    ship_segment,
    spool_cleanup,
    spool_ship,
)
from portevoix.tracking.status import platform_status
from portevoix.tracking.tests.conftest import FIREFOX, call, click_id_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the spool ships to the PostgreSQL inbox table")


def rows_of(code: str, n: int, *, prefix: str = "c", now: float | None = None) -> list[tuple]:
    now = now or time.time()
    return [(code, now, FIREFOX, "", f"{prefix}{i:07d}", f"{i:016x}{i:016x}", "") for i in range(n)]


def raw() -> psycopg.Connection:
    connection.ensure_connection()
    return connection.connection


def shipped_clicks() -> int:
    return ClickInbox.objects.aggregate(n=Sum("size"))["n"] or 0


def own_connection() -> psycopg.Connection:
    """A second session, as another process of the node would have."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    wrapper.ensure_connection()
    wrapper.connection.autocommit = True
    return wrapper.connection


def test_records_are_shipped_once_and_ingested(link, inbox_dir):
    writer = LogInboxWriter(inbox_dir)
    for n in range(5):
        writer.write(rows_of(link.code, 3, prefix=f"g{n}"))
    assert shipped_clicks() == 0
    assert inbox_pending() == 15  # not shipped yet, but waiting all the same

    assert spool_ship(inbox_dir, raw()) == 15
    assert spool_ship(inbox_dir, raw()) == 0  # nothing new: nothing twice
    assert shipped_clicks() == 15
    assert ClickInbox.objects.count() == 1  # one row for the five records
    assert inbox_pending() == 15

    writer.write(rows_of(link.code, 2, prefix="late"))
    assert spool_ship(inbox_dir, raw()) == 2
    writer.reset()

    report = clicks_ingest()
    assert report.raw == 17
    assert Click.objects.count() == 17
    assert inbox_pending() == 0


def test_status_tells_clicks_not_shipped_from_those_waiting_for_workers(link, inbox_dir):
    # A stuck node (it cannot reach PostgreSQL) and slow workers look alike in the backlog.
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 3, prefix="early"))
    assert spool_ship(inbox_dir, raw()) == 3
    writer.write(rows_of(link.code, 2, prefix="late"))
    status = platform_status()
    assert (status.inbox.clicks, status.inbox.unshipped) == (5, 2)
    out = StringIO()
    call_command("status", "--json", stdout=out)
    assert json.loads(out.getvalue())["inbox"]["clicks_unshipped_here"] == 2
    out = StringIO()
    call_command("status", stdout=out)
    assert "5 clicks waiting (2 of them not shipped yet from this node)" in out.getvalue()
    assert spool_ship(inbox_dir, raw()) == 2
    writer.reset()
    status = platform_status()
    assert (status.inbox.clicks, status.inbox.unshipped) == (5, 0)


def test_rows_are_cut_so_that_workers_can_share_them(link, inbox_dir):
    writer = LogInboxWriter(inbox_dir)
    for n in range(10):
        writer.write(rows_of(link.code, 2, prefix=f"g{n}"))
    writer.reset()
    assert spool_ship(inbox_dir, raw(), max_rows=5) == 20
    # Whole records only: 2 + 2 + 2 reaches 5, so three records a row.
    assert sorted(ClickInbox.objects.values_list("size", flat=True)) == [2, 6, 6, 6]


def test_two_shippers_at_once_ship_every_record_once(link, inbox_dir):
    writer = LogInboxWriter(inbox_dir)
    for n in range(300):
        writer.write(rows_of(link.code, 2, prefix=f"g{n:03d}"))
    writer.reset()
    sessions = [own_connection(), own_connection()]
    start = threading.Barrier(2)
    totals: list[int] = []

    def ship(session):
        start.wait()
        totals.append(spool_ship(inbox_dir, session, max_rows=4))
        session.close()

    threads = [threading.Thread(target=ship, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(totals) == 600
    assert shipped_clicks() == 600
    ids = [click.click_id for click in inbox_pending_clicks()]
    assert len(ids) == len(set(ids)) == 600


def test_a_commit_the_database_lost_is_shipped_again(link, inbox_dir):
    """A PostgreSQL crash with `synchronous_commit = off` can lose the last commits: the rows
    and the offset go together, and the segment still holds the records."""
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 4))
    writer.reset()
    spool_ship(inbox_dir, raw())
    # What the lost commit wrote, gone as one.
    ClickInbox.objects.all().delete()
    SpoolCheckpoint.objects.all().delete()
    assert spool_ship(inbox_dir, raw()) == 4
    assert shipped_clicks() == 4


def test_a_shipper_wrong_about_the_offset_reads_it_again(link, inbox_dir):
    """The shipping thread remembers the offset it shipped to; the database decides. Ahead of
    it (a commit lost while the connection stayed up): the records go again. Behind it
    (another process shipped first): nothing goes twice."""
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 3))
    node, path = node_id(inbox_dir), segments(inbox_dir)[0]
    count, end = ship_segment(path, node, raw())
    assert count == 3
    # The lost commit: its row and its offset gone together.
    ClickInbox.objects.all().delete()
    SpoolCheckpoint.objects.update(shipped=0)
    writer.write(rows_of(link.code, 2, prefix="more"))
    count, later = ship_segment(path, node, raw(), offset=end)
    assert count == 5 and shipped_clicks() == 5

    writer.write(rows_of(link.code, 1, prefix="last"))
    writer.reset()
    count, _end = ship_segment(path, node, raw(), offset=0)  # as if nothing had gone
    assert count == 1 and shipped_clicks() == 6
    assert SpoolCheckpoint.objects.get().shipped > later


def test_the_shipping_thread_ships_within_moments(link, inbox_dir):
    shipper = Shipper(inbox_dir)
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 3))
    shipper.ensure_running()
    shipper.ensure_running()  # one thread, however many clicks ask
    assert [t.name for t in threading.enumerate()].count("click-spool") == 1
    deadline = time.monotonic() + 10
    while shipped_clicks() < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shipped_clicks() == 3
    writer.write(rows_of(link.code, 2, prefix="more"))
    writer.reset()
    while shipped_clicks() < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shipped_clicks() == 5
    time.sleep(0.1)  # a few more rounds: nothing twice
    writer.write(rows_of(link.code, 1, prefix="last"))
    writer.reset()
    shipper.stop()  # ships what is left before it ends
    assert not [t for t in threading.enumerate() if t.name == "click-spool"]
    assert shipped_clicks() == 6


def read_calls() -> int:
    """Read system calls of this process so far (every thread)."""
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("syscr:"))


def segment_of_one_click(link, inbox_dir, *, prefix: str):
    """A segment of its own (a writer that wrote one click and stopped)."""
    before = set(segments(inbox_dir))
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 1, prefix=prefix))
    writer.reset()
    (path,) = set(segments(inbox_dir)) - before
    return path


def test_closed_segments_shipped_to_their_end_are_not_read_every_round(link, inbox_dir):
    """A node keeps half an hour of segments; those no writer appends to any more are left
    alone between cleanups instead of being opened 200 times a second."""
    opened_an_hour_ago = int((time.time() - 3600) * 1000)
    for n in range(40):
        path = segment_of_one_click(link, inbox_dir, prefix=f"s{n:02d}")
        # The name a writer gave it an hour ago (the file itself is recent: not cleaned up).
        path.rename(path.with_name(f"{opened_an_hour_ago:013d}-{n:07d}-{n:09d}.clicks"))
    shipper = Shipper(inbox_dir)
    shipper.ensure_running()
    try:
        deadline = time.monotonic() + 10
        while shipped_clicks() < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert shipped_clicks() == 40
        time.sleep(0.05)  # the round after the last shipment sets them aside
        before = read_calls()
        time.sleep(0.5)  # about a hundred rounds
        reads = read_calls() - before
    finally:
        shipper.stop()
    # Opened every round, 40 segments make about 4,000 reads in half a second.
    assert reads < 200, reads
    assert shipped_clicks() == 40


def wait_for_shipped(count: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while shipped_clicks() < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_damaged_records_set_their_segment_aside_and_the_others_still_ship(link, inbox_dir):
    """Bytes after a segment's last record that are no intact record (a writer killed while
    appending, or damage on the disk): the shipping thread ships what came before, looks at
    them twice, then leaves the segment alone until the next cleanup instead of reading it
    every 5 ms, and keeps shipping the live writer's clicks."""
    for n in range(30):
        path = segment_of_one_click(link, inbox_dir, prefix=f"d{n:02d}")
        end = [offset for offset, _payload in records_raw(path, 0)][-1]
        with path.open("r+b") as segment:
            segment.seek(end)
            segment.write(HEADER.pack(16, 0) + b"not a record....")  # a wrong checksum
    live = LogInboxWriter(inbox_dir)
    live.write(rows_of(link.code, 2, prefix="live"))
    shipper = Shipper(inbox_dir)
    shipper.ensure_running()
    try:
        wait_for_shipped(32)
        assert shipped_clicks() == 32
        time.sleep(0.05)  # the rounds that see the same damaged bytes twice set them aside
        before = read_calls()
        time.sleep(0.5)  # about a hundred rounds
        reads = read_calls() - before
        live.write(rows_of(link.code, 3, prefix="later"))
        wait_for_shipped(35)
    finally:
        live.reset()
        shipper.stop()
    # Read every round, 30 damaged segments make several thousand reads in half a second; the
    # live segment's one header a round stays.
    assert reads < 400, reads
    assert shipped_clicks() == 35
    assert not ClickInbox.objects.filter(clicks__contains="not a record").exists()


def test_the_redirect_answers_while_the_database_is_away_and_ships_after(make_app, link, inbox_dir):
    app = make_app()
    call(app, f"/s/{link.code}")  # the link is in the redirect's memory
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE tracking_clickinbox RENAME TO inbox_away")
    try:
        answer = call(app, f"/s/{link.code}", user_agent=FIREFOX)
        assert answer.status == 302
        session = own_connection()
        with pytest.raises(psycopg.errors.UndefinedTable):
            spool_ship(inbox_dir, session)
        session.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE inbox_away RENAME TO tracking_clickinbox")
    assert spool_ship(inbox_dir, raw()) == 2
    assert inbox_find(click_id_of(answer)) is not None


def test_a_click_not_shipped_yet_is_found_for_its_conversion(make_app, link, inbox_dir):
    answer = call(make_app(), f"/s/{link.code}")
    assert shipped_clicks() == 0
    found = inbox_find(click_id_of(answer))
    assert found is not None and found.code == link.code


def test_old_segments_shipped_whole_are_deleted_and_others_kept(link, inbox_dir):
    writer = LogInboxWriter(inbox_dir)
    writer.write(rows_of(link.code, 1, prefix="a"))
    writer.reset()
    writer.write(rows_of(link.code, 1, prefix="b"))  # a second segment, not shipped
    writer.reset()
    first, second = segments(inbox_dir)
    shipped_first = SpoolCheckpoint.objects.create(
        node=node_id(inbox_dir), segment=first.name, shipped=first.stat().st_size
    )
    old = time.time() - SEGMENT_DELETE_AGE - 60
    for path in (first, second):
        os.utime(path, (old, old))
    orphan = SpoolCheckpoint.objects.create(
        node=node_id(inbox_dir), segment="0000000000000-0000001-000000001.clicks", shipped=9
    )
    assert spool_cleanup(inbox_dir, raw()) == 1
    assert not first.exists() and second.exists()
    assert not SpoolCheckpoint.objects.filter(pk=shipped_first.pk).exists()
    assert not SpoolCheckpoint.objects.filter(pk=orphan.pk).exists()  # its file is gone


def test_a_node_keeps_its_name_across_restarts(inbox_dir):
    assert node_id(inbox_dir) == node_id(inbox_dir)
    assert (inbox_directory() / "node").read_text() == node_id(inbox_dir)


def test_a_damaged_node_name_stops_shipping_instead_of_shipping_everything_again(inbox_dir):
    inbox_dir.mkdir(parents=True)
    (inbox_dir / "node").write_text("")  # what a power cut can leave of a file not synced
    with pytest.raises(ValueError, match="node name"):
        node_id(inbox_dir)


def _serve_one_click_and_exit(directory: str, code: str) -> None:
    from pathlib import Path

    shipper = Shipper(Path(directory))
    shipper.ensure_running()
    time.sleep(0.2)  # the thread has looked once and sleeps between two looks
    writer = LogInboxWriter(Path(directory))
    writer.write(rows_of(code, 1, prefix="last"))
    writer.reset()
    # Returning ends a multiprocessing child with os._exit, as a server worker stopped gently.


def test_a_server_worker_stopped_gently_ships_what_is_left(link, inbox_dir):
    import multiprocessing

    connections.close_all()  # the child must not share the parent's sessions
    child = multiprocessing.get_context("fork").Process(
        target=_serve_one_click_and_exit, args=(str(inbox_dir), link.code)
    )
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert shipped_clicks() == 1


def test_one_process_of_a_node_ships_and_another_takes_over_when_it_stops(link, inbox_dir):
    first, second = Shipper(inbox_dir), Shipper(inbox_dir)
    writer = LogInboxWriter(inbox_dir)
    first.ensure_running()
    time.sleep(0.3)
    assert node_shipping_lock(inbox_dir) is None  # the first holds the node's shipping lock
    second.ensure_running()
    writer.write(rows_of(link.code, 2))
    deadline = time.monotonic() + 10
    while shipped_clicks() < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shipped_clicks() == 2
    first.stop()  # its lock goes with it: the second ships from now on
    writer.write(rows_of(link.code, 3, prefix="after"))
    writer.reset()
    while shipped_clicks() < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shipped_clicks() == 5
    second.stop()
