"""Two ingestion workers (separate processes, as two machines would run them) drain the same
PostgreSQL inbox at once: every click is stored and counted once, and a visitor who clicks the
same link many times, in groups that the two workers take at the same moment, is one verified
click and the rest repeats."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from portevoix.core.testing import at_once
from portevoix.tracking import ingest
from portevoix.tracking.inbox import RawClick, inbox_pending, inbox_writer
from portevoix.tracking.ingest import clicks_ingest, clicks_record
from portevoix.tracking.models import Click, ClickCount, ClickInbox, ClickKind
from portevoix.tracking.seen import seen_memory_forget
from portevoix.tracking.signals import verified_clicks_ingested
from portevoix.tracking.spool import spool_ship
from portevoix.tracking.tests.conftest import FIREFOX
from portevoix.tracking.tests.test_durability import wait_for_other_sessions_to_end

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
REPEATER = "0123456789abcdef" + "00000000000000aa"  # one visitor hash (visitor, address)
GROUPS = 400


def counted(prop: str) -> int:
    rows = ClickCount.objects.filter(dimension="all", property=prop, frequency="day")
    return rows.aggregate(n=Sum("value"))["n"] or 0


def inbox_fill(link, inbox_dir) -> int:
    """GROUPS inbox rows, each with the same visitor on the same link and a newcomer. Returns
    how many clicks must be verified."""
    now = time.time()
    writer = inbox_writer()
    expected_verified = 0
    for group in range(GROUPS):
        # Every group holds the same visitor on the same link, and a newcomer.
        newcomer = f"{group:016x}{0xF0000000 + group:016x}"  # its own address too
        rows = [
            (link.code, now, FIREFOX, "", f"r{group:05d}", REPEATER, ""),
            (link.code, now, FIREFOX, "", f"n{group:05d}", newcomer, ""),
        ]
        writer.write(rows)
        expected_verified += 1
    writer.reset()
    # As a web node's shipping thread would, a few records at a time: one inbox row per group,
    # so that the two workers have many rows to share.
    connection.ensure_connection()
    spool_ship(inbox_dir, connection.connection, max_rows=2)
    assert ClickInbox.objects.count() == GROUPS
    return expected_verified + 1  # and the repeater's first click


def assert_each_click_counted_once(expected_verified: int) -> None:
    total = 2 * GROUPS
    assert inbox_pending() == 0
    assert Click.objects.count() == total
    assert Click.objects.values("click_id").distinct().count() == total
    assert Click.objects.filter(kind=ClickKind.VERIFIED).count() == expected_verified
    repeater = Click.objects.filter(visitor=REPEATER)
    assert repeater.filter(kind=ClickKind.VERIFIED).count() == 1
    assert repeater.filter(kind=ClickKind.REPEAT).count() == GROUPS - 1
    assert counted("raw") == total
    assert counted("verified") == expected_verified
    assert counted("repeat") == GROUPS - 1
    assert counted("visitors") == expected_verified  # unique visitors of the day, overall


def test_two_workers_at_once_count_each_click_once_and_a_repeater_once(link, tmp_path, inbox_dir):
    if connection.vendor != "postgresql":
        pytest.skip("parallel ingestion workers share a PostgreSQL inbox")
    expected_verified = inbox_fill(link, inbox_dir)
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgresql://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PORTEVOIX_DATA_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "ingest_clicks", "-v2", "--batch-size", "4"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    wait_for_other_sessions_to_end()
    assert [worker.returncode for worker in workers] == [0, 0], [err for _, err in outputs]
    batches = [out.count("batch ") for out, _ in outputs]
    assert all(batches), f"one worker took nothing, the run was not parallel: {batches}"
    assert_each_click_counted_once(expected_verified)


def test_two_threads_of_one_worker_count_each_click_once_and_a_repeater_once(link, inbox_dir):
    """As `run_huey` runs ingestions (HUEY_WORKERS threads): the threads store their batches in
    turns, and a batch previews the seen sets while the one before it has claimed and not yet
    committed (ingest.py, seen.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel ingestion threads share a PostgreSQL inbox")
    expected_verified = inbox_fill(link, inbox_dir)
    seen_memory_forget()  # the worker's memory starts empty, as in a new process
    reports = at_once(lambda _number: clicks_ingest(batch_size=4), 2)
    assert all(report.batches for report in reports), "one thread took nothing"
    assert sum(report.raw for report in reports) == 2 * GROUPS
    assert_each_click_counted_once(expected_verified)


def test_a_batch_stores_its_clicks_before_another_workers_claims_and_corrects_them_after(
    link, monkeypatch
):
    """Worker B has classified a visitor's click and holds the day's seen-visitor lock until
    it commits. Worker A ingests the same visitor's next click on the same link meanwhile: it
    stores its clicks without waiting (the lock is only taken at the end of a batch), then waits
    for B, and once B has committed finds that B claimed the visitor first: its click is stored
    and counted as a repeat, and no points go to it."""
    if connection.vendor != "postgresql":
        pytest.skip("two ingestion transactions at once need PostgreSQL (SQLite has one writer)")
    now = time.time()
    visitor = "00000000000000aa" + "00000000000000bb"

    def raw(click_id: str, at: float) -> list[RawClick]:
        return [RawClick(0, link.code, at, FIREFOX, "", click_id, visitor, "")]

    sent, _a_wanted = _a_corrected_after_b(
        monkeypatch, raw("b-first", now), raw("a-second", now + 60)
    )
    kinds = dict(Click.objects.values_list("click_id", "kind"))
    assert kinds == {"b-first": ClickKind.VERIFIED, "a-second": ClickKind.REPEAT}
    assert (counted("raw"), counted("verified"), counted("repeat")) == (2, 1, 1)
    assert counted("visitors") == 1
    assert not ClickCount.objects.filter(value=0).exists()  # A's verified count taken back
    assert sent == ["b-first"]


@pytest.mark.parametrize("b_visitor", ["same visitor", "another browser of the address"])
def test_a_correction_counts_unique_visitors_as_the_final_kinds_say(link, b_visitor, monkeypatch):
    """A's click of a visitor loses to B's click, committed meanwhile, on the same link in the
    same address window. When B's click was the same visitor's, B's batch claimed that visitor's
    unique-visitor digests already: A keeps its own and works nothing out again. When B's was
    another browser behind the same address, A's visitor has no verified click: A counts the
    unique visitors of its batch again from the final kinds, and only its newcomer is new."""
    if connection.vendor != "postgresql":
        pytest.skip("two ingestion transactions at once need PostgreSQL (SQLite has one writer)")
    base = time.time() // 600 * 600  # one address window (ingest.ADDRESS_WINDOW)
    a_visitor = "00000000000000aa" + "00000000000000bb"
    b_visitor_hash = (
        a_visitor if b_visitor == "same visitor" else "00000000000000a2" + a_visitor[16:]
    )
    newcomer = "00000000000000ab" + "00000000000000bc"

    def click(click_id: str, at: float, visitor: str) -> RawClick:
        return RawClick(0, link.code, at, FIREFOX, "", click_id, visitor, "")

    _sent, a_wanted = _a_corrected_after_b(
        monkeypatch,
        [click("b-first", base + 1, b_visitor_hash)],
        [click("a-second", base + 2, a_visitor), click("a-newcomer", base + 3, newcomer)],
    )
    kinds = dict(Click.objects.values_list("click_id", "kind"))
    assert kinds == {
        "b-first": ClickKind.VERIFIED,
        "a-second": ClickKind.REPEAT,
        "a-newcomer": ClickKind.VERIFIED,
    }
    assert counted("visitors") == 2  # B's visitor and A's newcomer
    assert counted("verified") == 2
    # The clicks of each call A's correction made of `visitors_wanted`: the corrected click, to
    # check it, then the whole batch again only when the check says so.
    assert a_wanted == ([1] if b_visitor == "same visitor" else [1, 2])


def _a_corrected_after_b(
    monkeypatch: pytest.MonkeyPatch, b_raw: list[RawClick], a_raw: list[RawClick]
) -> tuple[list[str], list[int]]:
    """Worker B records its clicks and holds its transaction open; worker A, as another process
    would, records its own meanwhile, stores them, waits for B's lock, and finishes once B has
    committed. Returns the verified clicks sent, and the number of clicks of each call A's
    correction made of `visitors_wanted` (ingest.py's own calls)."""
    b_has_claimed, b_may_commit = threading.Event(), threading.Event()
    a_pid: list[int] = []
    errors: list[BaseException] = []
    sent: list[str] = []
    a_wanted: list[int] = []
    real_visitors_wanted = ingest.visitors_wanted

    def visitors_wanted_in_a(clicks, buckets):
        if threading.current_thread().name == "worker A":
            a_wanted.append(len(clicks))
        return real_visitors_wanted(clicks, buckets)

    def on_verified(sender, clicks, **kwargs):
        sent.extend(click_id for click_id, *_rest in clicks)

    def worker_b():
        try:
            with transaction.atomic():
                clicks_record(raw=b_raw)
                b_has_claimed.set()
                assert b_may_commit.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
            b_has_claimed.set()
        finally:
            connection.close()

    def worker_a():
        try:
            connection.ensure_connection()
            a_pid.append(connection.connection.info.backend_pid)
            with transaction.atomic():
                clicks_record(raw=a_raw)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    verified_clicks_ingested.connect(on_verified)
    monkeypatch.setattr(ingest, "visitors_wanted", visitors_wanted_in_a)
    try:
        b = threading.Thread(target=worker_b, name="worker B")
        b.start()
        assert b_has_claimed.wait(30)
        # A as a worker in another process is: it never saw B's claim in its memory (in this
        # process it would count B's claim as seen already: seen.py, `seen_preview`).
        seen_memory_forget()
        a = threading.Thread(target=worker_a, name="worker A")
        a.start()
        # A waits for B's day lock, its clicks already written to the click table.
        _wait_for_lock(a_pid, "worker A")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND granted "
                "AND relation = 'tracking_click'::regclass AND mode = 'RowExclusiveLock'",
                a_pid,
            )
            assert cursor.fetchone()[0] == 1, "A waited for the claim before storing its click"
        b_may_commit.set()
        b.join(30)
        a.join(30)
    finally:
        b_may_commit.set()
        verified_clicks_ingested.disconnect(on_verified)
    assert errors == []
    return sent, a_wanted


def _wait_for_lock(pid: list[int], who: str) -> None:
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid or [0]
            )
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.05)
    pytest.fail(f"{who} never waited for the other transaction's lock")


def _one_waits_for_the_other(first, second, waiting: str) -> list[BaseException]:
    """`first` in a transaction held open on its own connection; then `second` on another,
    which must wait for one of first's locks; then first commits and both finish. Returns
    the errors either raised."""
    errors: list[BaseException] = []
    first_done, may_commit = threading.Event(), threading.Event()
    second_pid: list[int] = []

    def run_first():
        try:
            with transaction.atomic():
                first()
                first_done.set()
                assert may_commit.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
            first_done.set()
        finally:
            connection.close()

    def run_second():
        try:
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            with transaction.atomic():
                second()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    try:
        threads[0].start()
        assert first_done.wait(30)
        threads[1].start()
        _wait_for_lock(second_pid, waiting)
    finally:
        may_commit.set()
        for thread in threads:
            thread.join(30)
    return errors


def _orphan_clicks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM tracking_click c WHERE NOT EXISTS "
            "(SELECT 1 FROM tracking_trackedlink l WHERE l.id = c.link_id)"
        )
        return cursor.fetchone()[0]


def test_an_erasure_during_a_batch_waits_for_it_and_deletes_its_clicks_and_counters(link, alice):
    """The click table has no foreign key: the batch's lock on its links stands in for it. A
    person erased while a batch holds one of their links waits for the batch, then deletes the
    clicks and counters it just committed: no click is left without its link."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL (SQLite has one writer)")
    from portevoix.accounts.privacy import person_erase

    visitor = "00000000000000cc" + "00000000000000dd"
    raw = [RawClick(0, link.code, time.time(), FIREFOX, "", "held-1", visitor, "")]
    errors = _one_waits_for_the_other(
        lambda: clicks_record(raw=raw), lambda: person_erase(person=alice), "the erasure"
    )
    assert errors == []
    assert not Click.objects.exists()
    assert _orphan_clicks() == 0
    assert not ClickCount.objects.filter(dimension="ambassador", key=str(alice.pk)).exists()
    assert not ClickCount.objects.filter(dimension="link", key=str(link.pk)).exists()
    assert counted("raw") == 1  # the programme's own figures stay (accounts/privacy.py)


def test_a_batch_during_an_erasure_waits_for_it_and_leaves_the_link_out(link, alice):
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL (SQLite has one writer)")
    from portevoix.accounts.privacy import person_erase

    visitor = "00000000000000ee" + "00000000000000ff"
    raw = [RawClick(0, link.code, time.time(), FIREFOX, "", "late-1", visitor, "")]
    stored: list[int] = []
    errors = _one_waits_for_the_other(
        lambda: person_erase(person=alice),
        lambda: stored.append(len(clicks_record(raw=raw))),
        "the batch",
    )
    assert errors == []
    assert stored == [0]
    assert not Click.objects.exists()
    assert not ClickCount.objects.exists()
