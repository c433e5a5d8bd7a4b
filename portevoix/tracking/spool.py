"""The multi-node click inbox: each web node writes its clicks to local segment files (the
embedded inbox's format, inbox_log.py) and ships them to the PostgreSQL inbox table within
milliseconds, where any ingestion worker claims them.

Why not commit every click to PostgreSQL before the 302 (the first design): a redirect then
waits for a database round trip, so its request thread sleeps and wakes once per click —
1.6 context switches and 65 µs of the web process's CPU per redirect against 33 µs with the
file inbox on the same machine, 0.26 of a bare 302 against 0.47 (docs/tracking.md). Appending
to the local segment is a memory copy that survives the death of the web process (kill -9),
exactly as in the embedded configuration; the shipper then moves the records to PostgreSQL in
batches, off the request path.

Exactly once: the table rows of a batch and the segment's shipped offset (`SpoolCheckpoint`,
per node and segment) are written by one statement, the row only if the offset moved from where
the shipper found it, so two processes of one node shipping the same segment, a shipper killed
half way, or a PostgreSQL crash that loses its last commits (`synchronous_commit = off`) ship
every record once: a lost commit loses the offset with the rows, and the records are shipped
again from the segment, which is kept until it is shipped and SEGMENT_DELETE_AGE old.

What a node's loss costs: records not shipped yet (a few milliseconds' worth) stay on its disk
until the node comes back; with CLICK_INBOX_SYNCHRONOUS=FULL they survive its power cut too.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import multiprocessing.util
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

from portevoix.tracking.inbox_log import (
    VERSION_FIELDS,
    record_starts_at,
    records,
    records_raw,
    segment_closed,
    segment_is_finished,
    segment_torn_bytes,
    segments,
)

log = logging.getLogger(__name__)

SHIP_EVERY = 0.005  # seconds between two looks at the node's segments
# Clicks per inbox row: one row is claimed whole by one ingestion worker, so rows much larger
# than an ingestion batch (CLICK_INGEST_BATCH) would keep other workers idle.
SHIP_MAX_ROWS = 1000
CLEANUP_EVERY = 60.0
NODE_FILE = "node"
LOCK_FILE = "shipping.lock"
# One process of a node ships for all of them (the others only wait for the lock): each
# shipper looks at every segment 200 times a second, so W processes each looking would cost
# the node W times W segments' worth of reads.
LEADER_RETRY = 1.0


def node_shipping_lock(directory: Path) -> int | None:
    """The node's shipping lock (a file lock: the kernel releases it when its process dies,
    kill -9 included), as an open descriptor, or None while another process holds it."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def node_id(directory: Path) -> str:
    """This node's name in the checkpoints, kept in the spool directory: segment names are
    unique within a node only, and a restarted node must find its checkpoints again. A new
    name for an old spool would ship its segments again: the name is written durably and an
    unreadable one stops shipping (ValueError) instead."""
    path = directory / NODE_FILE
    try:
        return _valid_node(path.read_text())
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    # Written whole and synced under another name, then linked: a process starting at the
    # same moment finds either no name or the whole one (two names would ship every record
    # twice), and the first link wins.
    draft = directory / f".{NODE_FILE}-{uuid.uuid4().hex}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, uuid.uuid4().hex.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(draft, path)
        folder = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _valid_node(path.read_text())


def _valid_node(text: str) -> str:
    name = text.strip()
    if len(name) != 32 or any(c not in "0123456789abcdef" for c in name):
        raise ValueError(f"the click spool's node file holds no node name: {name[:40]!r}")
    return name


def _batches(path: Path, offset: int, max_rows: int) -> Iterator[tuple[int, int, bytes]]:
    """(rows, end offset, payload) for the intact records after `offset`, whole records up to
    about `max_rows` clicks at a time: many records joined as one payload of the fields format."""
    parts: list[bytes] = []
    rows = 0
    end = offset
    for record_end, payload in records_raw(path, offset):
        if payload[:1] != VERSION_FIELDS:  # a record of the JSON format: shipped on its own
            if parts:
                yield rows, end, VERSION_FIELDS + b"\n".join(parts)
                parts, rows = [], 0
            yield -1, record_end, payload
            end = record_end
            continue
        body = payload[1:]
        parts.append(body)
        rows += body.count(b"\n") + 1
        end = record_end
        if rows >= max_rows:
            yield rows, end, VERSION_FIELDS + b"\n".join(parts)
            parts, rows = [], 0
    if parts:
        yield rows, end, VERSION_FIELDS + b"\n".join(parts)


# One statement, so one round trip in autocommit: the segment's offset moves from where this
# shipper knows it to the records' end, and the row goes in only if it did. Another shipper that
# moved it first (or a commit PostgreSQL lost, which took the offset back) makes it change
# nothing; the shipper then reads the offset again. The three statements of a locked
# transaction it replaced took six round trips a shipment (docs/tracking.md, "The spool").
_SHIP = (
    "WITH moved AS (UPDATE tracking_spoolcheckpoint SET shipped = %(end)s "
    "WHERE node = %(node)s AND segment = %(segment)s AND shipped = %(start)s RETURNING 1) "
    "INSERT INTO tracking_clickinbox (size, clicks, payload) "
    "SELECT %(size)s, %(clicks)s, %(payload)s FROM moved"
)


def shipped_offset(path: Path, node: str, database: psycopg.Connection) -> int:
    """The segment's offset shipped so far, its checkpoint created at 0 if it has none."""
    query = "SELECT shipped FROM tracking_spoolcheckpoint WHERE node = %s AND segment = %s"
    with database.cursor() as cursor:
        row = cursor.execute(query, [node, path.name]).fetchone()
        if row is None:
            # Inserted only when missing: an insert tried every time spends a sequence value.
            cursor.execute(
                "INSERT INTO tracking_spoolcheckpoint (node, segment, shipped) "
                "VALUES (%s, %s, 0) ON CONFLICT (node, segment) DO NOTHING",
                [node, path.name],
            )
            row = cursor.execute(query, [node, path.name]).fetchone()
    assert row is not None  # inserted just above if missing
    return int(row[0])


def ship_segment(
    path: Path,
    node: str,
    database: psycopg.Connection,
    *,
    offset: int | None = None,
    max_rows: int = SHIP_MAX_ROWS,
) -> tuple[int, int]:
    """Ship what is new in one segment after `offset` (None: read from the database) as one
    inbox row of whole records, about `max_rows` clicks at most. Returns (clicks shipped, the
    segment's shipped offset now). `database` is in autocommit; whether its commits wait for
    PostgreSQL's disk is its session's `synchronous_commit` (`shipping_connection`)."""
    while True:
        if offset is None:
            offset = shipped_offset(path, node, database)
        batch = next(_batches(path, offset, max_rows), None)
        if batch is None:
            return 0, offset
        size, end, payload = batch
        clicks: str = ""
        data: bytes | None = payload
        if size < 0:  # a record of the JSON format, from before the fields format
            clicks, data = payload.decode(), None
            size = len(json.loads(clicks))
        values = {
            "node": node,
            "segment": path.name,
            "start": offset,
            "end": end,
            "size": size,
            "clicks": clicks,
            "payload": data,
        }
        with database.cursor() as cursor:
            cursor.execute(_SHIP, values)
            if cursor.rowcount == 1:
                return size, end
        offset = None  # not where this shipper thought: read it again


def shipping_connection(database: psycopg.Connection, *, wait_for_disk: bool) -> None:
    """Make a connection of the shipper's own ready: autocommit, and with
    CLICK_INBOX_SYNCHRONOUS=NORMAL commits that do not wait for PostgreSQL's disk (a crash may
    lose the last ones, offset and rows together, and the records go again)."""
    database.autocommit = True
    if not wait_for_disk:
        database.execute("SET synchronous_commit = off")


def spool_ship(
    directory: Path, database: psycopg.Connection, *, max_rows: int = SHIP_MAX_ROWS
) -> int:
    """Ship everything the node's segments hold that PostgreSQL does not have yet (called by
    ingestion before it claims, so that a single machine needs no shipping thread to wait for).
    `database` must be in autocommit. Returns how many clicks went."""
    if not directory.is_dir():
        return 0
    node = node_id(directory)
    total = 0
    for path in segments(directory):
        offset = None
        while True:
            shipped, offset = ship_segment(path, node, database, offset=offset, max_rows=max_rows)
            if not shipped:
                break
            total += shipped
    return total


def spool_shipped_offsets(directory: Path, database: psycopg.Connection) -> dict[str, int]:
    node = node_id(directory)
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT segment, shipped FROM tracking_spoolcheckpoint WHERE node = %s", [node]
        )
        return {name: int(offset) for name, offset in cursor.fetchall()}


def spool_unshipped(directory: Path, database: psycopg.Connection) -> Iterator[list]:
    """The rows of the records this node has not shipped yet (status page, tests)."""
    if not directory.is_dir():
        return
    done = spool_shipped_offsets(directory, database)
    for path in segments(directory):
        for record in records(path, done.get(path.name, 0)):
            yield from record.rows


def spool_cleanup(directory: Path, database: psycopg.Connection) -> int:
    """Delete the segments shipped whole and too old to be written again, with their
    checkpoints, and checkpoints left without a segment. Returns how many segments went."""
    if not directory.is_dir():
        return 0
    done = spool_shipped_offsets(directory, database)
    node = node_id(directory)
    finished = [
        path for path in segments(directory) if segment_is_finished(path, done.get(path.name, 0))
    ]
    if finished:
        # The shipments may have been committed without waiting for the disk: make every
        # commit so far durable before the only other copy of their records goes.
        with database.transaction():
            database.execute("SET LOCAL synchronous_commit = on")
            database.execute("SELECT txid_current()")
    for path in finished:
        torn = segment_torn_bytes(path, done.get(path.name, 0))
        if torn:
            log.warning(
                "click spool: segment %s ends with %d bytes that are no intact record "
                "(a writer killed while appending, or damage): skipped",
                path.name,
                torn,
            )
        path.unlink(missing_ok=True)
    present = {path.name for path in segments(directory)}
    gone = [name for name in done if name not in present]
    if gone:
        database.execute(
            "DELETE FROM tracking_spoolcheckpoint WHERE node = %s AND segment = ANY(%s)",
            [node, gone],
        )
    return len(finished)


class Shipper:
    """The web process's shipping thread, on a database connection of its own. Started by the
    first click of the process, or when the process starts with records waiting in the spool
    (a forked server worker starts its own); `after_ship` runs after each round that shipped
    something (an ingestion nudge)."""

    def __init__(
        self,
        directory: Path,
        *,
        synchronous: str = "NORMAL",
        after_ship: Callable[[], None] | None = None,
    ) -> None:
        self.directory = directory
        self.wait_for_disk = synchronous == "FULL"
        self.after_ship = after_ship
        self._forked()
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.running = False
        self._node: str | None = None

    def ensure_running(self) -> None:
        if self.running:  # one attribute read per click
            return
        with self._lock:
            if not self.running:
                # An event per thread: a stop asked of this one never reaches the next.
                self._stopping = threading.Event()
                self._thread = threading.Thread(
                    target=self._run, args=(self._stopping,), name="click-spool", daemon=True
                )
                self._thread.start()
                self.running = True
                # A server stopped gently (SIGTERM) ships what is left before it exits: a node
                # removed for good then leaves nothing behind on its disk. Granian's workers
                # are multiprocessing children, which leave through os._exit: atexit does not
                # run there, multiprocessing's finalizers do.
                atexit.register(self.stop)
                multiprocessing.util.Finalize(None, self.stop, exitpriority=100)

    def ship_leftovers(self) -> None:
        """Ship, once, what an earlier process of this node left in the spool (a server killed
        and started again), on a connection of its own closed afterwards: a node whose
        restarted server gets no click does not keep them."""
        wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            wrapper.ensure_connection()
            shipping_connection(wrapper.connection, wait_for_disk=self.wait_for_disk)
            spool_ship(self.directory, wrapper.connection)
        except Exception:
            log.exception("click spool: shipping the leftovers failed (the first click retries)")
        finally:
            wrapper.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Ship what is left, then end the thread and close its connection."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping.set()
            self.running = False
        if thread is not None:
            thread.join(timeout)

    def _run(self, stopping_event: threading.Event) -> None:
        wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
        shipped: dict[str, int] = {}  # segment → offset known shipped
        # Segments looked at again only after the next cleanup, not every 5 ms: damaged bytes
        # after their last record, or closed (no writer appends) and shipped to the end.
        resting: set[str] = set()
        suspects: dict[str, int] = {}  # segment → where its next bytes were no record once
        next_cleanup = 0.0
        leader: int | None = None  # the node's shipping lock, once this thread holds it
        try:
            while True:
                stopping = stopping_event.is_set()
                if leader is None:
                    leader = node_shipping_lock(self.directory)
                if leader is None and not stopping:
                    # Another process of this node ships for all: look again in a second (it
                    # may be gone — the kernel drops its lock with it).
                    stopping_event.wait(LEADER_RETRY)
                    continue
                try:
                    if wrapper.connection is None or wrapper.connection.closed:
                        wrapper.close()
                        wrapper.ensure_connection()
                        shipping_connection(wrapper.connection, wait_for_disk=self.wait_for_disk)
                        shipped.clear()
                    if time.monotonic() >= next_cleanup and leader is not None:
                        # What looked shipped is checked against the database again: a
                        # commit lost behind a connection that stayed up shows here.
                        shipped.clear()
                        resting.clear()
                        suspects.clear()
                        spool_cleanup(self.directory, wrapper.connection)
                        next_cleanup = time.monotonic() + CLEANUP_EVERY
                    if self._ship_new(wrapper.connection, shipped, resting, suspects) and (
                        self.after_ship
                    ):
                        self.after_ship()
                except Exception:
                    # PostgreSQL away, or a crash that lost its last commits: forget what
                    # looked shipped and read the offsets again once the database answers.
                    log.exception("click spool: shipping failed; trying again in a second")
                    wrapper.close()
                    shipped.clear()
                    if stopping or stopping_event.wait(1.0):
                        return
                    continue
                if stopping:
                    # This round, after the stop was asked, shipped what was left — leader or
                    # not: the node's other processes may be stopping too.
                    return
                stopping_event.wait(SHIP_EVERY)
        finally:
            wrapper.close()
            if leader is not None:
                os.close(leader)  # releases the lock for another process of the node

    def _ship_new(
        self,
        database: psycopg.Connection,
        shipped: dict[str, int],
        resting: set[str],
        suspects: dict[str, int],
    ) -> int:
        """Ship every segment's new records; returns how many clicks went."""
        if not self.directory.is_dir():
            return 0
        if self._node is None:  # read once: a node's name never changes (node_id)
            self._node = node_id(self.directory)
        node = self._node
        total = 0
        now = time.time()
        for path in segments(self.directory):
            if path.name in resting:
                continue
            offset = shipped.get(path.name)
            if offset is not None and not record_starts_at(path, offset):
                # Nothing new after what is known shipped: no database round trip. A node keeps
                # 30 minutes of segments: the closed ones are not opened 200 times a second.
                if segment_closed(path, now):
                    resting.add(path.name)
                continue
            while True:
                count, shipped[path.name] = ship_segment(path, node, database, offset=offset)
                offset = shipped[path.name]
                total += count
                if count < SHIP_MAX_ROWS:
                    # All there was when read: what the writers append meanwhile waits for
                    # the next round, instead of a shipment of a few clicks per round trip.
                    break
            end = shipped[path.name]
            # Only after a round that found no intact record to ship: under load the bytes
            # after a shipment are mostly new records, read once by the next round, not twice.
            if (
                not count
                and record_starts_at(path, end)
                and next(records_raw(path, end), None) is None
            ):
                # Bytes after the last record shipped that are no intact record: a torn or
                # damaged one — or, for an instant, a header being copied. Twice in a row at
                # the same place, it is not the latter.
                if suspects.get(path.name) == end:
                    resting.add(path.name)
                suspects[path.name] = end
            else:
                suspects.pop(path.name, None)
        return total


def web_after_commit() -> Callable[[], None]:
    """What the web process does after each click it wrote: with PostgreSQL, make sure its
    shipping thread runs (started by the first click, so that tests and commands importing the
    entry point start none; what an earlier process left is shipped once now); ingestion is
    nudged once the clicks are in the table. Embedded: ask for an ingestion soon."""
    from django.conf import settings

    from portevoix.tracking.inbox import inbox_directory, inbox_is_postgres
    from portevoix.tracking.tasks import ingest_soon

    if not inbox_is_postgres():
        return ingest_soon
    shipper = Shipper(
        inbox_directory(), synchronous=settings.CLICK_INBOX_SYNCHRONOUS, after_ship=ingest_soon
    )
    if segments(inbox_directory()):
        threading.Thread(target=shipper.ship_leftovers, name="click-spool-leftovers").start()
    return shipper.ensure_running
