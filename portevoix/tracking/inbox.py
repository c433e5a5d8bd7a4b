"""The click inbox: raw clicks written by the redirect, drained by ingestion.

Two backends with the same columns (`INBOX_COLUMNS`):

- embedded (SQLite database): append-only segment files in CLICK_INBOX_DIR (`inbox_log`),
  one per writing process, so a redirect never waits behind a write to the main database.
  Ingestion keeps its read offset per segment in `IngestCheckpoint`, moved in the same
  transaction as the clicks it wrote.
- PostgreSQL (`DATABASE_URL`): the `tracking_clickinbox` table of the main database, filled by
  batched INSERTs. Ingestion deletes the rows it claimed (`FOR UPDATE SKIP LOCKED`) in the
  same transaction as the clicks it writes. (Sequence values are not committed in id order
  across sessions, so a checkpoint by id would not be safe there.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection, connections, transaction

from portevoix.tracking.inbox_log import LogInboxWriter, records, segments
from portevoix.tracking.models import IngestCheckpoint

INBOX_COLUMNS = ("code", "at", "user_agent", "referrer", "click_id", "visitor", "self_token")
CHUNK = 1000  # rows per INSERT statement


class RawClick(NamedTuple):
    """One inbox row: what the redirect knew, nothing more. `id` is the PostgreSQL row id
    (0 for the embedded inbox). A named tuple: ingestion makes a million of them, and a
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


class PostgresInboxWriter:
    """Batched insert into tracking_clickinbox on the committing thread's connection."""

    def __init__(self) -> None:
        self._sql: dict[int, str] = {}

    def write(self, rows: Sequence[tuple]) -> None:
        # Autocommit: one multi-row INSERT is one transaction, durable when it returns.
        if len(rows) <= CHUNK:
            with connection.cursor() as cursor:
                cursor.execute(self._statement(len(rows)), [v for row in rows for v in row])
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                cursor.execute(self._statement(len(chunk)), [v for row in chunk for v in row])

    def _statement(self, rows: int) -> str:
        sql = self._sql.get(rows)
        if sql is None:
            values = "(" + ",".join(["%s"] * len(INBOX_COLUMNS)) + ")"
            sql = self._sql[rows] = (
                f"INSERT INTO tracking_clickinbox ({','.join(INBOX_COLUMNS)}) VALUES "
                + ",".join([values] * rows)
            )
        return sql

    def reset(self) -> None:
        connections["default"].close()


_SELECT = f"SELECT id, {','.join(INBOX_COLUMNS)} FROM tracking_clickinbox"


def postgres_inbox_claim(limit: int) -> list[RawClick]:
    """Lock the oldest rows for this transaction; other ingestion workers skip them."""
    with connection.cursor() as cursor:
        cursor.execute(f"{_SELECT} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", [limit])
        return [RawClick(*row) for row in cursor.fetchall()]


def postgres_inbox_delete(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_clickinbox WHERE id = ANY(%s)", [ids])


# --- both -------------------------------------------------------------------------------------


def inbox_writer():
    """The writer for the configured database."""
    if inbox_is_postgres():
        return PostgresInboxWriter()
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
        with connection.cursor() as cursor:
            cursor.execute(f"{_SELECT} ORDER BY id")
            return [RawClick(*row) for row in cursor.fetchall()]
    return list(log_pending())


def inbox_pending() -> int:
    """How many clicks wait for ingestion."""
    if inbox_is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tracking_clickinbox")
            return cursor.fetchone()[0]
    return sum(1 for _click in log_pending())


def inbox_find(click_id: str) -> RawClick | None:
    """A click still waiting for ingestion, by its click id. A scan: the inbox holds the last
    few seconds of clicks, and an index would cost every redirect."""
    if inbox_is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"{_SELECT} WHERE click_id = %s", [click_id])
            row = cursor.fetchone()
        return RawClick(*row) if row else None
    return next((click for click in log_pending() if click.click_id == click_id), None)
