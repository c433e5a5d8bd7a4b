"""code → destination, in the memory of each web process.

Links never change except to be disabled (or deleted), and each of those bumps
`LinkCacheGeneration`. Each process reads that number at most once per LINK_CACHE_CHECK_MS and
empties its cache when it moved: a disabled link stops redirecting everywhere within a second,
for one tiny query per process per second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import DatabaseError, close_old_connections, connection
from django.utils.encoding import iri_to_uri

from portevoix.tracking.models import LinkCacheGeneration, TrackedLink

CLICK_PARAMETER = "pv_click"


@dataclass(frozen=True, slots=True)
class Destination:
    """Location = before + click id + after. `plain` is the destination without a click id."""

    plain: str
    before: str
    after: str
    disabled: bool


def destination_parts(url: str, *, disabled: bool = False) -> Destination | None:
    """Split a stored destination around the click id parameter; None if it is not a safe
    absolute http(s) URL (the redirect then answers 404: never an open redirect)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        return None  # control characters never belong in a stored URL
    uri = iri_to_uri(url)
    if any(ord(c) < 0x21 or ord(c) > 0x7E for c in uri):
        return None
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    head, hash_, fragment = uri.partition("#")
    separator = "&" if parts.query else ("" if head.endswith("?") else "?")
    return Destination(
        plain=uri,
        before=f"{head}{separator}{CLICK_PARAMETER}=",
        after=f"{hash_}{fragment}",
        disabled=disabled,
    )


class LinkCache:
    def __init__(self, *, check_every: float = 1.0, max_entries: int = 100_000) -> None:
        self._check_every = check_every
        self._max_entries = max_entries
        self._entries: dict[str, Destination | None] = {}
        self._generation: int | None = None
        self._next_check = 0.0

    def get(self, code: str) -> Destination | None:
        """The destination of a known code (possibly disabled), None for an unknown one.
        Raises DatabaseError when the database cannot answer."""
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + self._check_every
            self._check_generation()
        entries = self._entries
        try:
            return entries[code]
        except KeyError:
            pass
        row = _query(
            lambda: (
                TrackedLink.objects.filter(code=code).values_list("destination", "disabled").first()
            )
        )
        destination = destination_parts(row[0], disabled=row[1]) if row else None
        if destination is not None:
            # Unknown codes are not remembered: a code created a moment later must work.
            if len(entries) >= self._max_entries:
                del entries[next(iter(entries))]  # the oldest entry: insertion order
            entries[code] = destination
        return destination

    def _check_generation(self) -> None:
        value = _query(
            lambda: LinkCacheGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
        )
        if value != self._generation:
            self._generation = value
            self._entries = {}


def _query(run):
    """Run an ORM query on this thread's connection, retrying once on a fresh connection
    (the redirect bypasses Django's request signals that usually recycle connections)."""
    try:
        return run()
    except DatabaseError:
        close_old_connections()
        connection.close()
        return run()
