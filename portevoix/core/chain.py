"""Hash chains: a log whose every entry carries the SHA-256 of the one before it, so a changed,
removed or inserted row shows (docs/governance.md).

One chain per log (`ChainHead.name`): the audit log, the compliance archive. An entry's hash is
SHA-256 over the previous hash and a canonical serialisation of the entry's chained content
(sorted keys, no spaces, UTF-8). Writers take the chain's head row under a row lock
(`select_for_update` on PostgreSQL; SQLite runs one writer at a time, transactions are IMMEDIATE),
so two concurrent writers cannot link to the same previous entry and fork the chain. When old
entries are purged, the head keeps the hash of the last purged one (the checkpoint): the first kept
entry links to it, and verification still starts from a known value.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet

from portevoix.core.models import ChainHead

GENESIS = "0" * 64

M = TypeVar("M", bound=Model)


def chain_canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def chain_hash(previous: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(previous.encode() + b"\n" + chain_canonical(content)).hexdigest()


def chain_head_locked(name: str) -> ChainHead:
    """The chain's head row, locked until the end of the caller's transaction."""
    head = ChainHead.objects.select_for_update().filter(name=name).first()
    if head is None:
        ChainHead.objects.get_or_create(name=name)
        head = ChainHead.objects.select_for_update().get(name=name)
    return head


def chain_append(name: str, entry: M, content: Callable[[M], dict[str, Any]]) -> M:
    """Save `entry` as the chain's newest link: its `previous_hash` and `hash` are set here."""
    with transaction.atomic():
        head = chain_head_locked(name)
        entry.previous_hash = head.last_hash  # type: ignore[attr-defined]
        entry.hash = chain_hash(head.last_hash, content(entry))  # type: ignore[attr-defined]
        entry.save()
        head.last_hash = entry.hash  # type: ignore[attr-defined]
        head.last_id = entry.pk
        head.save(update_fields=["last_hash", "last_id"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "chain head"
        return f"{where}: {self.problem}"


def chain_verify(
    name: str,
    entries: Iterable[Any],
    content: Callable[[Any], dict[str, Any]],
) -> Iterator[ChainBreak]:
    """Every break in the chain, oldest first. `entries` are the kept entries in id order.

    Each entry's stored hash is recomputed from its content and stored previous hash (a changed
    field shows here), and its previous hash must be the hash of the entry before it, or the
    checkpoint for the first one (a deleted or inserted row shows here)."""
    head = ChainHead.objects.filter(name=name).first()
    expected_previous = head.checkpoint_hash if head else GENESIS
    last_id = None
    last_hash = expected_previous
    for entry in entries:
        if entry.previous_hash != expected_previous:
            yield ChainBreak(
                entry.pk,
                f"links to {entry.previous_hash[:12]}… but the entry before it "
                f"({last_id if last_id is not None else 'checkpoint'}) has {expected_previous[:12]}…"
                " (an entry was removed or inserted before it)",
            )
        recomputed = chain_hash(entry.previous_hash, content(entry))
        if recomputed != entry.hash:
            yield ChainBreak(
                entry.pk,
                f"its content does not match its hash (stored {entry.hash[:12]}…, "
                f"recomputed {recomputed[:12]}…): a field was changed",
            )
        expected_previous = entry.hash
        last_id = entry.pk
        last_hash = entry.hash
    if head is not None and head.last_hash != last_hash:
        yield ChainBreak(
            None,
            f"the newest entry is {last_id} with {last_hash[:12]}… but the head records "
            f"{head.last_id} with {head.last_hash[:12]}… (the newest entries were removed)",
        )


def chain_purge(name: str, entries: QuerySet[Any], *, older_than: datetime, at_field: str) -> int:
    """Delete the oldest entries, those before the first one at or after `older_than` (a prefix
    of the chain, so what stays is still one unbroken chain), and record the hash of the last
    one deleted as the checkpoint the first kept entry links to. Under the head's lock: no
    entry is written meanwhile."""
    with transaction.atomic():
        head = chain_head_locked(name)
        first_kept = (
            entries.filter(**{f"{at_field}__gte": older_than})
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        prefix = entries if first_kept is None else entries.filter(pk__lt=first_kept)
        last = prefix.order_by("-pk").values_list("pk", "hash").first()
        if last is None:
            return 0
        deleted = prefix.count()
        prefix.delete()
        head.checkpoint_id, head.checkpoint_hash = last
        head.save(update_fields=["checkpoint_id", "checkpoint_hash"])
    return deleted


def chain_salt() -> str:
    return secrets.token_hex(16)


def salted_digest(salt: str, text: str) -> str:
    """What a chain covers of a text that erasure may clear (a name, a shared text): clearing
    the salt with the text leaves a digest nobody can tie back to it."""
    return hashlib.sha256(f"{salt}\n{text}".encode()).hexdigest()
