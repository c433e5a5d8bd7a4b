"""The click inbox: raw clicks written by the redirect, drained by ingestion.

Two backends with the same columns (`INBOX_COLUMNS`):

- embedded (SQLite database): append-only segment files in CLICK_INBOX_DIR (`inbox_log`),
  one per writing process, so a redirect never waits behind a write to the main database.
  Ingestion keeps its read offset per segment in `IngestCheckpoint`, moved in the same
  transaction as the clicks it wrote.
- PostgreSQL (`DATABASE_URL`): each web node writes the same segment files, and ships them
  within milliseconds to the `tracking_clickinbox` table of the main database (spool.py), one
  row per batch. Ingestion deletes the rows it claimed (`FOR UPDATE SKIP LOCKED`) in the same
  transaction as the clicks it writes. (Sequence values are not committed in id order
  across sessions, so a checkpoint by id would not be safe there.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from portevoix.tracking.inbox_log import LogInboxWriter, decode_rows, records, segments
from portevoix.tracking.models import IngestCheckpoint
from portevoix.tracking.spool import spool_ship, spool_unshipped

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


_decode = json.JSONDecoder().decode
_CLAIM_FETCH = 256  # groups per round trip while claiming


def inbox_group_clicks(group_id: int, clicks: str, payload: bytes | None) -> list[RawClick]:
    # A row of another shape cannot come from this version's redirect: skipping it beats
    # stopping ingestion for good (as for the embedded inbox).
    width = len(INBOX_COLUMNS)
    rows = decode_rows(bytes(payload)) if payload is not None else _decode(clicks)
    return [RawClick(group_id, *row) for row in rows if len(row) == width]


def postgres_inbox_claim(limit: int) -> tuple[list[int], list[RawClick]]:
    """Lock the oldest groups, about `limit` clicks, for this transaction; other ingestion
    workers skip them. Returns (group ids, their clicks). Call inside a transaction."""
    groups: list[int] = []
    clicks: list[RawClick] = []
    # A server-side cursor locks the groups as they are fetched: no more than needed.
    with connection.connection.cursor(name="click_inbox_claim") as cursor:
        cursor.execute(
            "SELECT id, clicks, payload FROM tracking_clickinbox ORDER BY id FOR UPDATE SKIP LOCKED"
        )
        wanted = 1  # groups to fetch next: as many as the groups so far say are missing
        while len(clicks) < limit:
            fetched = cursor.fetchmany(wanted)
            if not fetched:
                break
            for group_id, text, payload in fetched:
                groups.append(group_id)
                clicks += inbox_group_clicks(group_id, text, payload)
            mean = max(1, len(clicks) // len(groups))
            wanted = max(1, min(_CLAIM_FETCH, (limit - len(clicks)) // mean))
    return groups, clicks


def postgres_inbox_delete(groups: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_clickinbox WHERE id = ANY(%s)", [groups])


def _postgres_groups(where: str = "", params: Sequence[str | bytes] = ()) -> list[RawClick]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, clicks, payload FROM tracking_clickinbox {where} ORDER BY id", params
        )
        return [
            click
            for group_id, text, payload in cursor.fetchall()
            for click in inbox_group_clicks(group_id, text, payload)
        ]


# --- both -------------------------------------------------------------------------------------


def inbox_writes_wait() -> bool:
    """Whether committing clicks waits on a disk sync (then requests in flight share commits:
    hotpath/committer.py), or is a memory copy."""
    return settings.CLICK_INBOX_SYNCHRONOUS == "FULL"


def inbox_writer() -> LogInboxWriter:
    """The redirect's writer: segment files in CLICK_INBOX_DIR whatever the database (with
    PostgreSQL, the web node's spool, shipped by spool.py)."""
    return LogInboxWriter(inbox_directory(), synchronous=settings.CLICK_INBOX_SYNCHRONOUS)


def spool_ship_here() -> int:
    """PostgreSQL: ship what this machine's segments hold to the inbox table now (ingestion does
    it before claiming; on a worker node the directory is empty). Outside any transaction."""
    connection.ensure_connection()
    return spool_ship(inbox_directory(), connection.connection)


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
        return _postgres_groups() + spool_pending_clicks()
    return list(log_pending())


def spool_pending_clicks() -> list[RawClick]:
    """This machine's clicks not shipped yet to the inbox table."""
    connection.ensure_connection()
    width = len(INBOX_COLUMNS)
    return [
        RawClick(0, *row)
        for row in spool_unshipped(inbox_directory(), connection.connection)
        if len(row) == width
    ]


def inbox_pending() -> int:
    """How many clicks wait for ingestion."""
    if inbox_is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(size), 0) FROM tracking_clickinbox")
            return int(cursor.fetchone()[0]) + len(spool_pending_clicks())
    return sum(1 for _click in log_pending())


def inbox_find(click_id: str) -> RawClick | None:
    """A click still waiting for ingestion, by its click id. A scan: the inbox holds the last
    few seconds of clicks, and an index would cost every redirect."""
    if inbox_is_postgres():
        # Click ids are URL-safe Base64, written as they are in the groups' JSON.
        # In the order a click moves: this node's spool, then the table (shipped within
        # milliseconds) — the other way round, a click shipped between the two reads would be
        # in neither.
        found = spool_pending_clicks()
        found += _postgres_groups(
            "WHERE strpos(clicks, %s) > 0 OR position(%s::bytea in payload) > 0",
            [f'"{click_id}"', f"\x00{click_id}\x00".encode()],
        )
        return next((click for click in found if click.click_id == click_id), None)
    return next((click for click in log_pending() if click.click_id == click_id), None)
