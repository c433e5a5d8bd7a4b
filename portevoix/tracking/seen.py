"""Visitors already seen today, per scope: what makes a repeat, and what counts as unique.

A day's seen set holds one 64-bit digest per (scope, visitor hash). Ingestion asks "which of
these keys are new?" for millions of keys a day, so the set lives in the ingesting process's
memory, and the database keeps it as append-only batches of digests (`SeenBatch`, one packed
row per claim) written in the claiming transaction. One row per key — a random insert into a
B-tree each — cost more than the rest of ingestion together (docs/tracking.md).

The memory is only a copy, trusted while it provably matches the database. Each claim locks the
day's `SeenState` row (generation, random token) until its transaction ends, so claims on a day
take turns, also across processes and machines. Under the lock:

- memory at the same (generation, token): it is exactly the database's set;
- memory behind, and the database's batch of the memory's generation carries the memory's token:
  read the batches written since;
- anything else (a rolled-back claim, another worker's history, a fresh process): read the whole
  day again.

The claim then stores its new digests as the next generation with a new token and updates the
memory. If that transaction rolls back, the memory is one token ahead of the database and is
read again at the next claim: a digest is never trusted unless it was committed.

`seen_preview` answers the same question from the committed claims without the lock: ingestion
classifies with it, claims at the end of its batch and corrects what changed in between, so that
the lock is held for the end of a batch only. It also counts this process's own claims not yet
committed (another ingestion thread's batch, about to commit): those are in the memory already.
"""

from __future__ import annotations

import secrets
import sys
import threading
from array import array
from collections.abc import Callable, KeysView, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import blake2b
from typing import TypeVar

from django.db import connection

T = TypeVar("T")
DAYS_KEPT = 3  # days whose set stays in memory (today, yesterday, one more for late clicks)
_SCOPE_CACHE_LIMIT = 200_000
_CLAIMS_AHEAD = 8  # claims of this process a preview looks back through (a batch makes 2–3)
_LITTLE_ENDIAN = sys.byteorder == "little"


@dataclass
class _DaySet:
    generation: int = 0
    token: int = 0
    digests: set[int] = field(default_factory=set)
    # The (generation, token) this process's claims built on since the memory was last read
    # from the database: while they are not committed, the database is still at one of them
    # and the memory ahead of it (a batch claims a day two or three times).
    claimed_on: list[tuple[int, int]] = field(default_factory=list)


# (database, day) → the day's set as this process last knew it. One lock for the process:
# claims on the same database already take turns on the database's lock, this one only keeps
# two threads from touching the dictionary at once.
_memory: dict[tuple[str, str], _DaySet] = {}
_memory_lock = threading.Lock()
_scope_bits: dict[str, int] = {}


def scope_bits(scope: str) -> int:
    """A fixed 64-bit pattern per scope (`link:12`, `post:3`, `all`…)."""
    bits = _scope_bits.get(scope)
    if bits is None:
        if len(_scope_bits) >= _SCOPE_CACHE_LIMIT:
            _scope_bits.clear()
        bits = _scope_bits[scope] = int.from_bytes(
            blake2b(scope.encode(), digest_size=8).digest(), "little"
        )
    return bits


def visitor_bits(visitor: str) -> int:
    """64 bits of the (already random) visitor hash."""
    try:
        return int(visitor[:16], 16)
    except ValueError:  # not a hash the redirect wrote: still a stable digest
        return int.from_bytes(blake2b(visitor.encode(), digest_size=8).digest(), "little")


def address_bits(visitor: str) -> int:
    """64 bits of the visitor hash's address part (`visitors.visitor_hash`). A hash written
    before the address part existed has other bits of the visitor's there: its address is then
    the visitor alone, which is what it was."""
    try:
        return int(visitor[16:32], 16)
    except ValueError:
        return int.from_bytes(
            blake2b(b"address" + visitor.encode(), digest_size=8).digest(), "little"
        )


def seen_digest(scope: str, visitor: str) -> int:
    """What a day's set holds for a visitor in a scope. Two different pairs of a day share a
    digest with odds of 2⁻⁶⁴ each: about n² / 2⁶⁵ for n keys a day. (Hot loops XOR the two
    parts themselves, computing a scope's bits once.)"""
    return visitor_bits(visitor) ^ scope_bits(scope)


def seen_claim(wanted: Mapping[str, Mapping[int, T]]) -> list[T]:
    """Record digests (`seen_digest`) per ISO day; return what the new ones stand for.

    `wanted` maps a day to {digest: anything}: callers compute digests from parts they
    already hold (a link's scope bits once per link, say) and get back their own values.
    Call inside the transaction that uses the answer.
    """
    return _per_day(wanted, _claim_day)


def _per_day(
    wanted: Mapping[str, Mapping[int, T]], fresh_of: Callable[[str, KeysView[int]], set[int]]
) -> list[T]:
    """What the new digests of each day stand for, the days in a fixed order: two claims
    never wait for each other's lock."""
    new: list[T] = []
    for day in sorted(wanted):
        digests = wanted[day]
        if digests:
            new.extend(map(digests.__getitem__, fresh_of(day, digests.keys())))
    return new


def seen_preview(wanted: Mapping[str, Mapping[int, T]]) -> list[T]:
    """What `seen_claim` would answer now from the claims already committed (and this
    process's claims not yet committed), without taking the days' locks and without recording
    anything.

    A claim locks its day until its transaction ends, so two ingestion workers take turns from
    their first claim to their commit. Ingestion therefore classifies a batch with this answer,
    stores its clicks, and claims for real only at the end, where it corrects the few clicks
    that a claim committed meanwhile by another worker changed (ingest.py).
    """
    return _per_day(wanted, _preview_day)


def _memory_key(day: str) -> tuple[str, str]:
    # Per database: the tests (and a process serving two) must not mix their sets.
    return (str(connection.settings_dict["NAME"]), day)


def _preview_day(day: str, digests: KeysView[int]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generation, token FROM tracking_seenstate WHERE day = %s", [day])
        row = cursor.fetchone()
        generation, token = row if row is not None else (0, 0)
        with _memory_lock:
            known = _memory.get(_memory_key(day))
            if known is not None and (generation, token) in known.claimed_on:
                # Another thread of this process has claimed and not yet committed (ingestion
                # threads take turns, ingest.py): its digests count as seen too. Reading the
                # committed ones back instead cost a reading of the whole day per batch; if
                # that claim is rolled back, this batch's own claim corrects its clicks.
                return digests - known.digests
            # Otherwise the committed claims only: the memory is brought level with them.
            return digests - _synced(cursor, day, generation, token).digests


def _claim_day(day: str, digests: KeysView[int]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tracking_seenstate (day, generation, token) VALUES (%s, 0, 0) "
            "ON CONFLICT (day) DO NOTHING",
            [day],
        )
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""  # SQLite: the writer
        cursor.execute(
            f"SELECT generation, token FROM tracking_seenstate WHERE day = %s{lock}", [day]
        )
        generation, token = cursor.fetchone()
        with _memory_lock:
            known = _synced(cursor, day, generation, token)
            fresh = digests - known.digests
            new_token = secrets.randbits(63)
            cursor.execute(
                "INSERT INTO tracking_seenbatch (day, generation, token, digests) "
                "VALUES (%s, %s, %s, %s)",
                [day, generation + 1, new_token, _pack(fresh)],
            )
            cursor.execute(
                "UPDATE tracking_seenstate SET generation = %s, token = %s WHERE day = %s",
                [generation + 1, new_token, day],
            )
            known.digests |= fresh
            known.claimed_on = [*known.claimed_on, (generation, token)][-_CLAIMS_AHEAD:]
            known.generation, known.token = generation + 1, new_token
    return fresh


def _synced(cursor, day: str, generation: int, token: int) -> _DaySet:
    """The day's set in memory, brought level with the database's (generation, token)."""
    name = _memory_key(day)
    known = _memory.get(name)
    if known is None:
        known = _memory[name] = _DaySet()
        for old in sorted(key for key in _memory if key[0] == name[0])[:-DAYS_KEPT]:
            del _memory[old]
    if (known.generation, known.token) == (generation, token):
        return known
    since = 0
    if 0 < known.generation < generation:
        cursor.execute(
            "SELECT token FROM tracking_seenbatch WHERE day = %s AND generation = %s",
            [day, known.generation],
        )
        row = cursor.fetchone()
        if row is not None and row[0] == known.token:
            since = known.generation
    if since == 0:
        known.digests = set()
    known.claimed_on = []
    cursor.execute(
        "SELECT digests FROM tracking_seenbatch WHERE day = %s AND generation > %s "
        "AND generation <= %s",
        [day, since, generation],
    )
    for (packed,) in cursor.fetchall():
        known.digests.update(_unpack(packed))
    known.generation, known.token = generation, token
    return known


def _pack(digests: set[int]) -> bytes:
    packed = array("Q", digests)
    if not _LITTLE_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def _unpack(data) -> array:
    digests = array("Q")
    digests.frombytes(bytes(data))
    if not _LITTLE_ENDIAN:
        digests.byteswap()
    return digests


def seen_memory_forget() -> None:
    """Drop this process's copies (they are read again on the next claim)."""
    with _memory_lock:
        _memory.clear()


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
