"""The click inbox: raw clicks written by the redirect, drained by ingestion.

Two backends with the same columns (`INBOX_COLUMNS`):

- embedded (SQLite database): append-only segment files in CLICK_INBOX_DIR (`inbox_log`),
  one per writing process, so a redirect never waits behind a write to the main database.
  Ingestion keeps its read offset per segment in `IngestCheckpoint`, moved in the same
  transaction as the clicks it wrote.
- PostgreSQL (`DATABASE_URL`): the `tracking_clickinbox` table of the main database, one row
  per group of clicks committed together (`PostgresInboxWriter`). Ingestion deletes the
  groups it claimed (`FOR UPDATE SKIP LOCKED`) in the same transaction as the clicks it
  writes. (Sequence values are not committed in id order
  across sessions, so a checkpoint by id would not be safe there.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from portevoix.tracking.inbox_log import LogInboxWriter, records, segments
from portevoix.tracking.models import IngestCheckpoint

INBOX_COLUMNS = ("code", "at", "user_agent", "referrer", "click_id", "visitor", "self_token")


class RawClick(NamedTuple):
    """One raw click: what the redirect knew, nothing more. `id` is the PostgreSQL inbox row
    (its group) id (0 for the embedded inbox). A named tuple: ingestion makes a million of them, and a
    frozen dataclass costs several times more to build."""

    id: int
    code: str
    at: float
    user_agent: str
    referrer: str
    click_id: str
    visitor: str
    self_token: str


def inbox_is_postgres() -> bool:
    return connection.vendor == "postgresql"


def inbox_directory() -> Path:
    return Path(settings.CLICK_INBOX_DIR)


# --- PostgreSQL ---------------------------------------------------------------------------


# One prepared statement for any group size, one row per group: the group travels as JSON
# (encoded in C, a few µs) that the database stores as it is, without parsing it. A row per
# click costs the database a heap and index insert each, on the core wrk and PostgreSQL share,
# and the web process 5–12 µs of psycopg adaptation per click (docs/tracking.md).
_INSERT = "INSERT INTO tracking_clickinbox (size, clicks) VALUES (%s, %s)"
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_decode = json.JSONDecoder().decode
_CLAIM_FETCH = 256  # groups per round trip while claiming


class PostgresInboxWriter:
    """One INSERT per group, in autocommit, on a connection of the writer's own.

    Not the thread's Django connection: the thread that commits changes from group to group,
    and commits take turns (hotpath/committer.py), so one connection per web process is enough.

    `synchronous` says when a group is durable, as for the file inbox: NORMAL commits with
    `synchronous_commit = off` — committed (visible to ingestion, kept if the web node is
    killed) before the 302, flushed to disk by PostgreSQL's WAL writer within
    3 × wal_writer_delay, so a crash of the PostgreSQL server or its machine in that time loses
    those clicks; FULL waits for the server's own setting (`on`: flushed to disk before the 302).
    """

    def __init__(self, *, synchronous: str = "NORMAL") -> None:
        self._synchronous = synchronous
        self._database = connections.create_connection(DEFAULT_DB_ALIAS)
        self._database.inc_thread_sharing()  # used by whichever thread commits the group
        self._cursor: psycopg.Cursor | None = None

    def write(self, rows: Sequence[tuple]) -> None:
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = self._connect()
        cursor.execute(_INSERT, [len(rows), _encode(rows)], prepare=True)

    def _connect(self) -> psycopg.Cursor:
        self._database.ensure_connection()
        raw = self._database.connection
        raw.autocommit = True  # one statement, one transaction: durable when it returns
        # A plain cursor binds parameters on the server, which prepared statements need
        # (Django's may bind them on the client).
        cursor = psycopg.Cursor(raw)
        if self._synchronous == "NORMAL":
            cursor.execute("SET synchronous_commit = off")
        return cursor

    def reset(self) -> None:
        self._cursor = None
        self._database.close()


def _group_clicks(group_id: int, clicks: str) -> list[RawClick]:
    # A row of another shape cannot come from this version's redirect: skipping it beats
    # stopping ingestion for good (as for the embedded inbox).
    width = len(INBOX_COLUMNS)
    return [RawClick(group_id, *row) for row in _decode(clicks) if len(row) == width]


def postgres_inbox_claim(limit: int) -> tuple[list[int], list[RawClick]]:
    """Lock the oldest groups, about `limit` clicks, for this transaction; other ingestion
    workers skip them. Returns (group ids, their clicks). Call inside a transaction."""
    groups: list[int] = []
    clicks: list[RawClick] = []
    # A server-side cursor locks the groups as they are fetched: no more than needed.
    with connection.connection.cursor(name="click_inbox_claim") as cursor:
        cursor.execute(
            "SELECT id, clicks FROM tracking_clickinbox ORDER BY id FOR UPDATE SKIP LOCKED"
        )
        wanted = 1  # groups to fetch next: as many as the groups so far say are missing
        while len(clicks) < limit:
            fetched = cursor.fetchmany(wanted)
            if not fetched:
                break
            for group_id, text in fetched:
                groups.append(group_id)
                clicks += _group_clicks(group_id, text)
            mean = max(1, len(clicks) // len(groups))
            wanted = max(1, min(_CLAIM_FETCH, (limit - len(clicks)) // mean))
    return groups, clicks


def postgres_inbox_delete(groups: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_clickinbox WHERE id = ANY(%s)", [groups])


def _postgres_groups(where: str = "", params: Sequence[str] = ()) -> list[RawClick]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, clicks FROM tracking_clickinbox {where} ORDER BY id", params)
        return [
            click for group_id, text in cursor.fetchall() for click in _group_clicks(group_id, text)
        ]


# --- both -------------------------------------------------------------------------------------


def inbox_writes_wait() -> bool:
    """Whether committing clicks waits on a database or a disk sync (then requests in flight
    share commits: hotpath/committer.py), or is a memory copy."""
    return inbox_is_postgres() or settings.CLICK_INBOX_SYNCHRONOUS == "FULL"


def inbox_writer():
    """The writer for the configured database."""
    if inbox_is_postgres():
        return PostgresInboxWriter(synchronous=settings.CLICK_INBOX_SYNCHRONOUS)
    return LogInboxWriter(inbox_directory(), synchronous=settings.CLICK_INBOX_SYNCHRONOUS)


def log_checkpoints() -> dict[str, int]:
    return dict(IngestCheckpoint.objects.values_list("name", "last_id"))


def log_pending() -> Iterator[RawClick]:
    """Embedded inbox: every click not ingested yet, oldest segment first."""
    done = log_checkpoints()
    for path in segments(inbox_directory()):
        for record in records(path, done.get(path.name, 0)):
            for row in record.rows:
                if len(row) == len(INBOX_COLUMNS):
                    yield RawClick(0, *row)


def inbox_pending_clicks() -> list[RawClick]:
    if inbox_is_postgres():
        return _postgres_groups()
    return list(log_pending())


def inbox_pending() -> int:
    """How many clicks wait for ingestion."""
    if inbox_is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(size), 0) FROM tracking_clickinbox")
            return int(cursor.fetchone()[0])
    return sum(1 for _click in log_pending())


def inbox_find(click_id: str) -> RawClick | None:
    """A click still waiting for ingestion, by its click id. A scan: the inbox holds the last
    few seconds of clicks, and an index would cost every redirect."""
    if inbox_is_postgres():
        # Click ids are URL-safe Base64, written as they are in the groups' JSON.
        found = _postgres_groups("WHERE strpos(clicks, %s) > 0", [f'"{click_id}"'])
        return next((click for click in found if click.click_id == click_id), None)
    return next((click for click in log_pending() if click.click_id == click_id), None)
