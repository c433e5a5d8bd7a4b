"""The click inbox: raw clicks written by the redirect, drained by ingestion.

Two backends with the same columns (`INBOX_COLUMNS`):

- SQLite (embedded): a file of its own (`CLICK_INBOX_PATH`, WAL), so a redirect never waits
  behind a write to the main database. Ingestion remembers how far it got in
  `IngestCheckpoint`, in the same transaction as the clicks it wrote. Commit order is id order
  (SQLite has one writer at a time) and ids never go back: a new row gets the largest id + 1,
  and ingestion never deletes the row holding the largest id. So a checkpoint can never skip a
  row. (AUTOINCREMENT would guarantee the same at the price of one more page written by every
  commit; the table has no index besides its id for the same reason: a commit is the cost of
  every click.)
- PostgreSQL (`DATABASE_URL`): the `tracking_clickinbox` table of the main database. Ingestion
  deletes the rows it claimed (`FOR UPDATE SKIP LOCKED`) in the same transaction as the clicks
  it writes. Sequence values are not committed in order across sessions, so a checkpoint by id
  would not be safe there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

from portevoix.tracking.models import IngestCheckpoint

SQLITE_CHECKPOINT = "sqlite-inbox"  # IngestCheckpoint.name
INBOX_COLUMNS = ("code", "at", "user_agent", "referrer", "click_id", "visitor", "self_token")
# Rows per INSERT statement: one statement means one trip into SQLite, and far below its
# limit of 32,766 parameters.
CHUNK = 1000

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    at REAL NOT NULL,
    user_agent TEXT NOT NULL,
    referrer TEXT NOT NULL,
    click_id TEXT NOT NULL,
    visitor TEXT NOT NULL,
    self_token TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class RawClick:
    """One inbox row: what the redirect knew, nothing more."""

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


def _insert_sql(table: str, rows: int, placeholder: str) -> str:
    values = "(" + ",".join([placeholder] * len(INBOX_COLUMNS)) + ")"
    return f"INSERT INTO {table} ({','.join(INBOX_COLUMNS)}) VALUES " + ",".join([values] * rows)


def _flatten(rows: Sequence[tuple]) -> list:
    return [value for row in rows for value in row]


# --- SQLite -------------------------------------------------------------------------------


def sqlite_inbox_connect(path: Path, *, synchronous: str = "NORMAL") -> sqlite3.Connection:
    """A connection in autocommit mode (we open transactions ourselves), schema ensured."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={'FULL' if synchronous == 'FULL' else 'NORMAL'}")
    db.executescript(SQLITE_SCHEMA)
    return db


class SqliteInboxWriter:
    """Used by the redirect's writer thread only."""

    def __init__(self, path: Path, *, synchronous: str = "NORMAL") -> None:
        self.path = path
        self.synchronous = synchronous
        self._db: sqlite3.Connection | None = None
        self._sql: dict[int, str] = {}

    def write(self, rows: Sequence[tuple]) -> None:
        """All rows in one transaction, committed (on disk) when this returns."""
        if self._db is None:
            self._db = sqlite_inbox_connect(self.path, synchronous=self.synchronous)
        db = self._db
        if len(rows) <= CHUNK:
            db.execute(self._statement(len(rows)), _flatten(rows))
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                db.execute(self._statement(len(chunk)), _flatten(chunk))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _statement(self, rows: int) -> str:
        sql = self._sql.get(rows)
        if sql is None:
            sql = self._sql[rows] = _insert_sql("inbox", rows, "?")
        return sql

    def reset(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None


class SqliteInboxReader:
    """Used by ingestion and the conversion endpoint."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings.CLICK_INBOX_PATH)
        self._db = sqlite_inbox_connect(self.path, synchronous=settings.CLICK_INBOX_SYNCHRONOUS)

    def read_after(self, last_id: int, limit: int) -> list[RawClick]:
        cursor = self._db.execute(
            f"SELECT id, {','.join(INBOX_COLUMNS)} FROM inbox WHERE id > ? ORDER BY id LIMIT ?",
            (last_id, limit),
        )
        return [RawClick(*row) for row in cursor]

    def delete_through(self, last_id: int) -> None:
        """Delete ingested rows, except the one with the largest id: it keeps ids growing."""
        self._db.execute(
            "DELETE FROM inbox WHERE id <= ? AND id < (SELECT max(id) FROM inbox)", (last_id,)
        )

    def find(self, click_id: str) -> RawClick | None:
        # A scan: the inbox holds the last few seconds of clicks, and an index would cost
        # every redirect.
        row = self._db.execute(
            f"SELECT id, {','.join(INBOX_COLUMNS)} FROM inbox WHERE click_id = ?", (click_id,)
        ).fetchone()
        return RawClick(*row) if row else None

    def pending(self, last_id: int) -> int:
        return self._db.execute("SELECT count(*) FROM inbox WHERE id > ?", (last_id,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()


# --- PostgreSQL ---------------------------------------------------------------------------


class PostgresInboxWriter:
    """Batched insert into tracking_clickinbox, on the writer thread's own connection."""

    def __init__(self) -> None:
        self._sql: dict[int, str] = {}

    def write(self, rows: Sequence[tuple]) -> None:
        db = connections["default"]
        # Autocommit: one multi-row INSERT is one transaction, durable when it returns.
        if len(rows) <= CHUNK:
            with db.cursor() as cursor:
                cursor.execute(self._statement(len(rows)), _flatten(rows))
            return
        with transaction.atomic(), db.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                cursor.execute(self._statement(len(chunk)), _flatten(chunk))

    def _statement(self, rows: int) -> str:
        sql = self._sql.get(rows)
        if sql is None:
            sql = self._sql[rows] = _insert_sql("tracking_clickinbox", rows, "%s")
        return sql

    def reset(self) -> None:
        connections["default"].close()


def postgres_inbox_claim(limit: int) -> list[RawClick]:
    """Lock the oldest rows for this transaction; other ingestion workers skip them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {','.join(INBOX_COLUMNS)} FROM tracking_clickinbox "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            [limit],
        )
        return [RawClick(*row) for row in cursor.fetchall()]


def postgres_inbox_delete(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_clickinbox WHERE id = ANY(%s)", [ids])


def postgres_inbox_find(click_id: str) -> RawClick | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {','.join(INBOX_COLUMNS)} FROM tracking_clickinbox WHERE click_id = %s",
            [click_id],
        )
        row = cursor.fetchone()
    return RawClick(*row) if row else None


def inbox_writer():
    """The writer for the configured database: PostgreSQL's table or the SQLite file."""
    if inbox_is_postgres():
        return PostgresInboxWriter()
    return SqliteInboxWriter(
        Path(settings.CLICK_INBOX_PATH), synchronous=settings.CLICK_INBOX_SYNCHRONOUS
    )


def inbox_find(click_id: str) -> RawClick | None:
    """A click still waiting for ingestion, by its click id."""
    if inbox_is_postgres():
        return postgres_inbox_find(click_id)
    reader = SqliteInboxReader()
    try:
        return reader.find(click_id)
    finally:
        reader.close()


def inbox_pending() -> int:
    """Clicks waiting for ingestion."""
    if inbox_is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tracking_clickinbox")
            return cursor.fetchone()[0]
    checkpoint = IngestCheckpoint.objects.filter(name=SQLITE_CHECKPOINT).first()
    reader = SqliteInboxReader()
    try:
        return reader.pending(checkpoint.last_id if checkpoint else 0)
    finally:
        reader.close()
