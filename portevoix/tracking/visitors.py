"""The visitor hash: who clicked, recognisable within one day only, never an IP address.

hash = 64 bits of HMAC-SHA256(key of the day, IP + user agent) — the visitor — then 64 bits of
BLAKE2b keyed with the key of the day over the IP — the address, which lets ingestion see many
browsers of one address (one visitor rotating user agents) without ever storing the address.
Each organisation day has its own random key in the database; once the day is over a periodic
task destroys it, and from then on nobody (not even with the database) can tell whether a given
IP made one of that day's clicks.
"""

from __future__ import annotations

import hashlib
import hmac
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
    `seen.address_bits`). The visitor's part is what the first half of the former 128-bit hash
    was, so a visitor seen before the upgrade is still recognised."""
    visitor = hmac.digest(key, f"{ip}\n{user_agent}".encode(), "sha256")
    return (visitor[:8] + _address_mac(key, ip)).hex()


# (key, keyed BLAKE2b state ready for it): the redirect hashes every click's address, and a
# prepared state copied costs a fraction of a second HMAC. Swapped whole, so threads never
# see a key with another key's state.
_address_state: tuple[bytes, Any] = (b"", None)


def _address_mac(key: bytes, ip: str) -> bytes:
    """64 bits of BLAKE2b keyed with the day's key over the address: a MAC, like the HMAC of
    the visitor, that nobody can compute for an address once the key is destroyed."""
    global _address_state
    prepared_key, prepared = _address_state
    if prepared is None or prepared_key != key:
        prepared = hashlib.blake2b(key=key, digest_size=8, person=b"pv-address")
        _address_state = (key, prepared)
    mac = prepared.copy()
    mac.update(ip.encode())
    return mac.digest()


def visitor_keys_destroy_expired(*, today: date | None = None) -> int:
    """Destroy the keys of days that are over, and the seen-visitor sets of days before
    yesterday (kept one more day so clicks of late evening still ingested after midnight are
    recognised as repeats). Returns the number of keys destroyed."""
    today = today or local_day(timezone.now())
    destroyed, _ = VisitorKey.objects.filter(day__lt=today).delete()
    SeenBatch.objects.filter(day__lt=today - timedelta(days=1)).delete()
    SeenState.objects.filter(day__lt=today - timedelta(days=1)).delete()
    return destroyed
