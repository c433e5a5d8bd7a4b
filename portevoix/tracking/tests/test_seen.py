"""The seen-visitor sets: a copy in memory, trusted only while it matches the database."""

import threading

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from portevoix.core.testing import at_once
from portevoix.tracking import seen
from portevoix.tracking.models import SeenBatch, SeenState
from portevoix.tracking.seen import seen_claim, seen_digest, seen_memory_forget, seen_preview

DAY = "2031-03-05"
VISITOR_A = "0123456789abcdef" + "0" * 16
VISITOR_B = "fedcba9876543210" + "0" * 16


def claim(*pairs, day=DAY):
    """Claim (scope, visitor) pairs; return those that were new."""
    wanted = {day: {seen_digest(scope, visitor): (scope, visitor) for scope, visitor in pairs}}
    return set(seen_claim(wanted))


def snapshot():
    """This process's copies as they are now."""
    return {
        name: seen._DaySet(d.generation, d.token, set(d.digests))
        for name, d in seen._memory.items()
    }


def restore(copies):
    seen._memory.clear()
    seen._memory.update(copies)


@pytest.fixture(autouse=True)
def fresh_memory():
    seen_memory_forget()
    yield
    seen_memory_forget()


def test_a_key_is_new_once_per_day_and_scope(db):
    assert claim(("link:1", VISITOR_A), ("link:2", VISITOR_A)) == {
        ("link:1", VISITOR_A),
        ("link:2", VISITOR_A),
    }
    assert claim(("link:1", VISITOR_A), ("link:1", VISITOR_B)) == {("link:1", VISITOR_B)}
    assert claim(("link:1", VISITOR_A), day="2031-03-06") == {("link:1", VISITOR_A)}
    state = SeenState.objects.get(day=DAY)
    assert state.generation == 2
    assert SeenBatch.objects.filter(day=DAY).count() == 2


def test_what_was_stored_survives_a_new_process(db):
    claim(("post:3", VISITOR_A))
    seen_memory_forget()  # a worker that starts now knows only the database
    assert claim(("post:3", VISITOR_A), ("post:3", VISITOR_B)) == {("post:3", VISITOR_B)}


def test_a_copy_left_behind_by_another_worker_reads_what_it_missed(db):
    claim(("link:1", VISITOR_A))
    behind = snapshot()  # this process's copy, soon one generation old
    seen_memory_forget()
    claim(("link:1", VISITOR_B))  # "another worker" records B
    restore(behind)
    assert claim(("link:1", VISITOR_B)) == set()
    assert claim(("link:1", VISITOR_A)) == set()


def test_a_rolled_back_claim_is_not_trusted(db):
    claim(("link:1", VISITOR_A))
    with pytest.raises(RuntimeError), transaction.atomic():
        assert claim(("link:1", VISITOR_B)) == {("link:1", VISITOR_B)}
        raise RuntimeError("the batch failed after the claim")
    # The memory had B; the database does not: B must still be new, A still known.
    assert claim(("link:1", VISITOR_B), ("link:1", VISITOR_A)) == {("link:1", VISITOR_B)}


def test_a_history_replaced_behind_the_copys_back_is_read_again(db):
    claim(("link:1", VISITOR_A))
    # The database is emptied and refilled by someone else up to a later generation: the
    # copy's own batch is gone, so an incremental read would be wrong.
    SeenBatch.objects.all().delete()
    SeenState.objects.all().delete()
    saved = snapshot()
    seen_memory_forget()
    claim(("link:1", VISITOR_B))
    claim(("link:2", VISITOR_B))
    restore(saved)
    assert claim(("link:1", VISITOR_A)) == {("link:1", VISITOR_A)}


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_call_a_visitor_new_only_once():
    def worker(_number: int) -> list[str]:
        with transaction.atomic():
            return claim(("link:1", VISITOR_A), ("all", VISITOR_A))

    results = at_once(worker, 2)
    assert sorted(len(found) for found in results) == [0, 2]


@pytest.mark.django_db(transaction=True)
def test_a_preview_counts_a_claim_of_this_process_not_yet_committed():
    """Ingestion threads of one process take turns (ingest.py): a batch previews while the one
    before it has claimed and not yet committed. What that claim added counts as seen, from
    the memory, without reading the day's batches again; rolled back, a claim finds it new."""
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL (SQLite has one writer)")
    claimed, may_end = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def batch_before():
        try:
            with transaction.atomic():
                claim(("link:1", VISITOR_A))  # a batch claims a day two or three times
                claim(("link:2", VISITOR_A))
                claimed.set()
                assert may_end.wait(30)
                raise LookupError("the batch fails after its claims")
        except LookupError:
            pass
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            claimed.set()
            connection.close()

    thread = threading.Thread(target=batch_before)
    thread.start()
    try:
        assert claimed.wait(30)
        wanted = {
            DAY: {seen_digest("link:1", VISITOR_A): "A", seen_digest("link:1", VISITOR_B): "B"}
        }
        with CaptureQueriesContext(connection) as queries:
            assert set(seen_preview(wanted)) == {"B"}
        assert len(queries) == 1  # the day's state only
    finally:
        may_end.set()
        thread.join(30)
    assert errors == []
    assert set(seen_claim(wanted)) == {"A", "B"}


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_carries_the_keys_already_seen():
    executor = MigrationExecutor(connection)
    before = [("tracking", "0002_clicks_inbox_rollups_conversions")]
    latest = executor.loader.graph.leaf_nodes()  # every app: dependents were unapplied too
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("tracking", "VisitorSeen")
    # The old key: 16 hex digits of the visitor hash, the scope, the day as yymmdd.
    old.objects.create(key=f"{VISITOR_A[:16]}link:7310305", day=DAY)
    old.objects.create(key=f"{VISITOR_B[:16]}all310305", day=DAY)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    assert claim(("link:7", VISITOR_A), ("all", VISITOR_B), ("all", VISITOR_A)) == {
        ("all", VISITOR_A)
    }
