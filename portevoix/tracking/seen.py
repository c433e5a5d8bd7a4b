"""Visitors already seen today, per scope: what makes a repeat, and what counts as unique.

One `INSERT … ON CONFLICT DO NOTHING RETURNING` tells which keys are new. The unique
constraint decides, not a read before the write, so two ingestion workers running at once on
PostgreSQL cannot both call the same visitor new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.db import connection

SeenKey = tuple[str, str, str]  # (ISO day, scope, visitor hash)
CHUNK = 1000


def seen_digest(key: SeenKey) -> str:
    """A short primary key: 64 bits of the (already random) visitor hash, the scope, the day.
    Two visitors of one day and scope share 64 bits with odds of about n² / 2⁶⁵."""
    day, scope, visitor = key
    return f"{visitor[:16]}{scope}{day[2:4]}{day[5:7]}{day[8:]}"


def seen_claim(keys: Iterable[SeenKey]) -> set[SeenKey]:
    """Record the keys; return those that were not recorded before."""
    by_digest = {seen_digest(key): key for key in dict.fromkeys(keys)}
    new: set[SeenKey] = set()
    rows = list(by_digest.items())
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(
                'INSERT INTO tracking_visitorseen ("key", day) VALUES '
                + ",".join(["(%s, %s)"] * len(chunk))
                + ' ON CONFLICT ("key") DO NOTHING RETURNING "key"',
                [value for digest, key in chunk for value in (digest, key[0])],
            )
            new.update(by_digest[digest] for (digest,) in cursor.fetchall())
    return new


def _sqlite_datetime(at: float) -> str:
    # What Django's SQLite backend stores: naive UTC, as str(datetime) writes it.
    return str(datetime.fromtimestamp(at, UTC).replace(tzinfo=None))


def _aware_datetime(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def db_datetime_converter() -> Callable[[float], datetime | str]:
    """Unix time → a DateTimeField value for raw SQL on this database. Chosen once per batch:
    at a million clicks, the ORM's generic adaptation per value is a measurable cost."""
    return _sqlite_datetime if connection.vendor == "sqlite" else _aware_datetime


def db_datetime(at: float) -> datetime | str:
    return db_datetime_converter()(at)
