"""`GET /s/<code>`: the redirect, served before Django's middleware.

The request does only this: validate the code, find its destination in memory, hash the
visitor, append the raw click to the inbox and wait for the commit of its group, answer 302.
Classification, counting and points happen later, in ingestion.
"""

from __future__ import annotations

import binascii
import collections
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DatabaseError

from portevoix.core.addresses import client_address, environ_key
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.hotpath.committer import (
    Committer,
    DirectCommitter,
    GroupCommitter,
    InboxUnavailable,
)
from portevoix.tracking.hotpath.pages import PAGE_HEADERS, SECURITY_HEADERS, page, visitor_language
from portevoix.tracking.inbox import inbox_writer, inbox_writes_wait
from portevoix.tracking.scanners import SCANNER_MARK, ScannerCheck
from portevoix.tracking.selfclick import SELF_COOKIE
from portevoix.tracking.visitors import day_bounds, local_day, visitor_hash, visitor_key_for

log = logging.getLogger(__name__)

PREFIX = "/s/"
MAX_CODE = 16
MAX_TEXT = 512  # user agent and referrer, as stored
MAX_TOKEN = 128
REDIRECT_HEADERS = [*SECURITY_HEADERS, ("Content-Length", "0")]
StartResponse = Callable[..., object]


class TodayKey:
    """The visitor key of the current organisation day, fetched once per day per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key = b""
        self._until = 0.0
        self._since = 0.0

    def at(self, now: float) -> bytes:
        if self._since <= now < self._until:
            return self._key
        with self._lock:
            if not self._since <= now < self._until:
                day = local_day(now)
                key = visitor_key_for(day=day)
                if key is None:  # a clock running backwards across midnight
                    raise InboxUnavailable
                self._key = key
                self._since, self._until = day_bounds(day)
            return self._key


class _RandomPool:
    """Random bytes from the system in 44 KB draws: one system call per 4,096 click ids.

    The draw is cut into 11-byte pieces kept in a deque, whose `popleft()` is atomic: taking a
    piece needs no lock (a lock and an offset cost 0.25 µs of the redirect's 9 in process);
    only refilling does."""

    COUNT = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pieces: collections.deque[bytes] = collections.deque()

    def take11(self) -> bytes:
        try:
            return self._pieces.popleft()
        except IndexError:
            with self._lock:
                if not self._pieces:
                    data = os.urandom(11 * self.COUNT)
                    self._pieces.extend([data[i : i + 11] for i in range(0, len(data), 11)])
            return self.take11()


_URL_SAFE = bytes.maketrans(b"+/", b"-_")
_URL_SAFE_BACK = str.maketrans("-_", "+/")
_random = _RandomPool()
os.register_at_fork(
    after_in_child=lambda: _RandomPool.__init__(_random)
)  # never share ids with a parent


def new_click_id(now: float | None = None) -> str:
    """20 URL-safe characters: the second of the click (32 bits) then 88 random bits.

    The random part makes it unguessable, so a click id is proof of a click. The time prefix
    makes ids of the same period neighbours in the click-id index, which keeps ingestion's
    inserts local instead of scattered over an index of millions."""
    second = int(time.time() if now is None else now) & 0xFFFFFFFF
    # base64.urlsafe_b64encode() is these two calls behind two layers of Python.
    encoded = binascii.b2a_base64(second.to_bytes(4, "big") + _random.take11(), newline=False)
    return encoded.translate(_URL_SAFE).decode()


def click_id_second(click_id: str) -> int:
    """The second (modulo 2³²) a click id of `new_click_id` was made in."""
    return int.from_bytes(binascii.a2b_base64(click_id[:8].translate(_URL_SAFE_BACK))[:4], "big")


def cookie_value(cookie: str, name: str) -> str:
    start = cookie.find(name + "=")
    while start > 0 and cookie[start - 1] not in "; ":
        start = cookie.find(name + "=", start + 1)
    if start < 0:
        return ""
    value = cookie[start + len(name) + 1 :].split(";", 1)[0].strip().strip('"')
    return value if len(value) <= MAX_TOKEN else ""


def clean(text: str) -> str:
    text = text[:MAX_TEXT]
    return text.replace("\x00", "") if "\x00" in text else text


class RedirectApp:
    """Dispatches /s/… to the redirect and everything else to `fallback` (Django)."""

    def __init__(
        self,
        fallback: Callable[[dict, StartResponse], Iterable[bytes]],
        *,
        committer: Committer | None = None,
        links: LinkCache | None = None,
        clock: Callable[[], float] = time.time,
        after_commit: Callable[[], None] | None = None,
        scanners: ScannerCheck | None = None,
    ) -> None:
        self.fallback = fallback
        if committer is None:
            # Groups only form, and only pay, while a write waits on a disk or a database.
            kind = GroupCommitter if inbox_writes_wait() else DirectCommitter
            committer = kind(inbox_writer, after_commit=after_commit)
        self.committer = committer
        self.links = links or LinkCache(check_every=settings.LINK_CACHE_CHECK_MS / 1000)
        self.keys = TodayKey()
        self.scanners = scanners or ScannerCheck()
        self.clock = clock
        self.ip_header = environ_key(settings.CLIENT_IP_HEADER)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self.fallback(environ, start_response)
        return self.redirect(environ, start_response, path[len(PREFIX) :])

    def redirect(self, environ: dict, start_response: StartResponse, code: str):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [*REDIRECT_HEADERS, ("Allow", "GET, HEAD")])
            return [b""]
        if code.endswith("/"):
            code = code[:-1]
        if not (0 < len(code) <= MAX_CODE and code.isascii() and code.isalnum()):
            return self.page(environ, start_response, "404 Not Found", "not_found")
        try:
            destination = self.links.get(code)
        except DatabaseError:
            log.exception("redirect: link lookup failed")
            return self.page(environ, start_response, "503 Service Unavailable", "unavailable")
        if destination is None or destination.disabled:
            return self.page(environ, start_response, "404 Not Found", "not_found")
        if method == "HEAD":  # link checkers and previews: answered, never counted
            start_response("302 Found", [("Location", destination.plain), *REDIRECT_HEADERS])
            return [b""]

        now = self.clock()
        user_agent = environ.get("HTTP_USER_AGENT", "")
        if user_agent:
            user_agent = clean(user_agent)
        referrer = environ.get("HTTP_REFERER", "")
        if referrer:  # absent from most clicks (apps, e-mail): no call for nothing
            referrer = clean(referrer)
        click_id = new_click_id(now)
        try:
            ip = client_address(environ, self.ip_header)
            visitor = visitor_hash(key=self.keys.at(now), ip=ip, user_agent=user_agent)
            cookie = environ.get("HTTP_COOKIE", "")
            if self.scanners.is_scanner(ip, now):
                # Only the flag leaves the request, in the self-token column (scanners.py).
                self_token = SCANNER_MARK
            elif SELF_COOKIE in cookie:
                self_token = cookie_value(cookie, SELF_COOKIE)
            else:
                self_token = ""
            self.committer.append(
                (
                    code,
                    now,
                    user_agent,
                    referrer,
                    click_id,
                    visitor,
                    self_token,
                )
            )
        except (InboxUnavailable, DatabaseError):
            # Not on disk, so not acknowledged: the visitor retries, no click is half-counted.
            return self.page(environ, start_response, "503 Service Unavailable", "unavailable")
        location = destination.before + click_id + destination.after
        start_response("302 Found", [("Location", location), *REDIRECT_HEADERS])
        return [b""]

    def page(self, environ: dict, start_response: StartResponse, status: str, name: str):
        language = visitor_language(environ)
        body = page(name, language)
        headers = [
            *PAGE_HEADERS,
            ("Content-Language", language),
            ("Content-Length", str(len(body))),
        ]
        if status.startswith("503"):
            headers.append(("Retry-After", "1"))
        start_response(status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
