"""Log-in and password-reset limits: atomic counters in the cache, per e-mail, address and browser.

The rule (docs/configuration.md, LOGIN_RATE):

- Each attempt takes its place in the counters *before* the password is checked, with an
  atomic increment: of sixty simultaneous wrong passwords, exactly LOGIN_RATE are checked.
- A browser that has already logged in to an account carries a signed cookie for it; its
  attempts on that account count on their own counter, so strangers' failures (on the e-mail
  or from the office's address) never lock the person out of their usual browser.
- Other attempts count per e-mail (LOGIN_RATE) and per client address (five times as many:
  several colleagues share an office's address, and one person's mistakes stop at their
  e-mail's limit, so they cannot use the whole office's).
- A successful log-in, or an attempt that was refused without checking the password, gives its
  place back: only wrong passwords use the limit.
- Counters are fixed windows: once the window ends (a minute with 10/m), the right password
  works again; the password-reset link logs the person in at once.

Keys are HMACs of the e-mail, address or browser: neither is written anywhere in clear.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

ADDRESS_FACTOR = 5
DEVICE_COOKIE = "portevoix_device"
DEVICE_DAYS = 365
_SALT = "portevoix.accounts.login_limits"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_thread_lock = threading.Lock()


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """`10/m`, `5/30s`, `100/h`, `3/2m` → Rate(limit, seconds)."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(f"not a rate: {text!r} (use for example 10/m)")
    count, multiplier, unit = match.groups()
    rate = Rate(int(count), int(multiplier or 1) * _UNITS[unit])
    if rate.limit < 1 or rate.seconds < 1:
        raise ValueError(f"not a rate: {text!r} (a count and a period of at least 1)")
    return rate


@dataclass
class Attempt:
    """The places an attempt took; `refused` means it must not check the password."""

    taken: list[tuple[str, float]] = field(default_factory=list)  # key, end of its window
    refused: bool = False
    retry_after: int = 0


def _digest(kind: str, value: str) -> str:
    return salted_hmac(f"{_SALT}.{kind}", value).hexdigest()[:40]


def _cache() -> BaseCache:
    return caches["default"]


def _is_atomic(cache: BaseCache) -> bool:
    # Redis, memcached and the memory cache increment atomically; BaseCache.incr (the file and
    # database caches) reads then writes, and also resets the key's timeout.
    return type(cache).incr is not BaseCache.incr


@contextmanager
def _exclusive(cache: BaseCache) -> Iterator[None]:
    """Nothing for atomic caches; for the file cache, a lock every process of the machine shares."""
    if _is_atomic(cache):
        yield
        return
    directory = getattr(cache, "_dir", "") or tempfile.gettempdir()
    os.makedirs(directory, exist_ok=True)
    with _thread_lock, open(os.path.join(directory, "login-limits.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _window(rate: Rate) -> tuple[int, int]:
    """The current fixed window's number and the seconds left in it."""
    now = time.time()
    number = int(now // rate.seconds)
    return number, max(1, int((number + 1) * rate.seconds - now) + 1)


def _take(name: str, rate: Rate) -> tuple[str, int, int]:
    """Count one more attempt on `name`; the key, the count now, and the seconds left."""
    cache = _cache()
    number, left = _window(rate)
    key = f"login-limit:{name}:{number}"
    with _exclusive(cache):
        if _is_atomic(cache):
            cache.add(key, 0, timeout=left)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                cache.add(key, 0, timeout=left)
                count = cache.incr(key)
            if count == 1:
                cache.touch(key, timeout=left)  # Redis's INCR of a just-expired key keeps no TTL
        else:
            count = int(cache.get(key, 0)) + 1
            cache.set(key, count, timeout=left)
    return key, count, left


def _give_back(key: str, ends: float) -> None:
    cache = _cache()
    left = int(ends - time.time()) + 1
    if left <= 0:  # its window is over: nothing to give back
        return
    with _exclusive(cache):
        if _is_atomic(cache):
            with suppress(ValueError):
                cache.decr(key)
        else:
            count = cache.get(key)
            if count:
                cache.set(key, int(count) - 1, timeout=left)


def _counters(
    *, action: str, email: str, address: str, device: str | None
) -> list[tuple[str, Rate]]:
    rate = parse_rate(settings.LOGIN_RATE)
    if device is not None:
        return [(f"{action}:device:{_digest('device', device)}", rate)]
    address_rate = Rate(rate.limit * ADDRESS_FACTOR, rate.seconds)
    return [
        (f"{action}:email:{_digest('email', email)}", rate),
        (f"{action}:address:{_digest('address', address)}", address_rate),
    ]


def attempt_begin(*, action: str, email: str, address: str, device: str | None = None) -> Attempt:
    """Take this attempt's places; when any counter is full, give them all back and refuse.

    `device` is the browser's id from `device_for` (None for a browser unknown to this e-mail).
    """
    attempt = Attempt()
    for name, rate in _counters(
        action=action, email=email.strip().lower(), address=address, device=device
    ):
        key, count, left = _take(name, rate)
        attempt.taken.append((key, time.time() + left))
        if count > rate.limit:
            attempt.refused = True
            attempt.retry_after = max(attempt.retry_after, left)
    if attempt.refused:
        attempt_give_back(attempt=attempt)
    return attempt


def attempt_give_back(*, attempt: Attempt) -> None:
    """A success, or a refusal: this attempt does not use the limit."""
    for key, ends in attempt.taken:
        _give_back(key, ends)
    attempt.taken = []


# The browser's cookie: a random id and an HMAC of the e-mail, signed. No e-mail, no person id.


def device_for(request, email: str) -> str | None:
    """The browser's id when its cookie was set by a log-in to `email`, else None."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value or not email:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not constant_time_compare(
        str(data.get("e", "")), _digest("device-email", email.strip().lower())
    ):
        return None
    return str(data.get("n", "")) or None


def device_remember(response: HttpResponse, *, email: str) -> None:
    """After a log-in: this browser is now known for this e-mail."""
    value = signing.dumps(
        {"e": _digest("device-email", email.strip().lower()), "n": secrets.token_urlsafe(16)},
        salt=_SALT,
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
