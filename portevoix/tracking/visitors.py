"""The visitor hash: who clicked, recognisable within one day only, never an IP address.

hash = 64 bits of BLAKE2b keyed with the key of the day over IP + user agent — the visitor —
then 64 bits of BLAKE2b keyed with the same key over the IP — the address, which lets ingestion
see many browsers of one address (one visitor rotating user agents) without ever storing the
address. Keyed BLAKE2b is a MAC by design (RFC 7693), like HMAC; two states prepared once per
key and copied per click cost 2.0 µs here, against 3.3 µs for the HMAC-SHA256 of the visitor
alone through OpenSSL (the redirect computes this for every click).
Each organisation day has its own random key in the database; once the day is over a periodic
task destroys it, and from then on nobody (not even with the database) can tell whether a given
IP made one of that day's clicks.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portevoix.tracking.models import SeenBatch, SeenState, VisitorKey


def organisation_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(at: float | datetime) -> date:
    """The organisation's calendar day of an instant (Unix time or aware datetime)."""
    moment = datetime.fromtimestamp(at, UTC) if isinstance(at, float | int) else at
    return moment.astimezone(organisation_zone()).date()


def day_start(day: date) -> datetime:
    """The first instant of an organisation day, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=organisation_zone())


def day_bounds(day: date) -> tuple[float, float]:
    """Unix times [start, end) of an organisation day (23 or 25 hours on DST changes)."""
    return day_start(day).timestamp(), day_start(day + timedelta(days=1)).timestamp()


def visitor_key_for(*, day: date) -> bytes | None:
    """The key of `day`, created on first use for today or later; None for a past day whose
    key was destroyed (or never existed): past keys are never made up again."""
    key = VisitorKey.objects.filter(day=day).values_list("key", flat=True).first()
    if key is not None:
        return bytes(key)
    if day < local_day(timezone.now()):
        return None
    try:
        with transaction.atomic():
            VisitorKey.objects.create(day=day, key=secrets.token_bytes(32))
    except IntegrityError:
        pass  # another process created it first: use theirs
    return bytes(VisitorKey.objects.values_list("key", flat=True).get(day=day))


def visitor_hash(*, key: bytes, ip: str, user_agent: str) -> str:
    """32 hex digits: the visitor's 64 bits, then the address's (`seen.visitor_bits`,
    `seen.address_bits`)."""
    prepared_key, visitor_state, address_state = _prepared
    if prepared_key != key:
        visitor_state, address_state = _prepare(key)
    visitor = visitor_state.copy()
    visitor.update(f"{ip}\n{user_agent}".encode())
    address = address_state.copy()
    address.update(ip.encode())
    return (visitor.digest() + address.digest()).hex()


# (key, keyed BLAKE2b states ready for it), swapped whole so that a thread never pairs a key
# with another key's states.
_prepared: tuple[bytes, Any, Any] = (b"", None, None)


def _prepare(key: bytes) -> tuple[Any, Any]:
    global _prepared
    visitor = hashlib.blake2b(key=key, digest_size=8, person=b"pv-visitor")
    address = hashlib.blake2b(key=key, digest_size=8, person=b"pv-address")
    _prepared = (key, visitor, address)
    return visitor, address


def visitor_keys_destroy_expired(*, today: date | None = None) -> int:
    """Destroy the keys of days that are over, and the seen-visitor sets of days before
    yesterday (kept one more day so clicks of late evening still ingested after midnight are
    recognised as repeats). Returns the number of keys destroyed."""
    today = today or local_day(timezone.now())
    destroyed, _ = VisitorKey.objects.filter(day__lt=today).delete()
    SeenBatch.objects.filter(day__lt=today - timedelta(days=1)).delete()
    SeenState.objects.filter(day__lt=today - timedelta(days=1)).delete()
    return destroyed
