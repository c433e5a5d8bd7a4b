"""What an authenticator app does in the tests: read the secret, show the current code."""

from __future__ import annotations

import time

import pyotp

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor import (
    two_factor_confirm,
    two_factor_secret,
    two_factor_setup_begin,
)


def app_for(person: Person) -> tuple[pyotp.TOTP, list[str]]:
    """Set up two-factor log-in for `person` as they would from their profile, with the code of
    the previous step (they took a few seconds to type it): the current code stays free for
    the log-in. Returns their app and their recovery codes."""
    app = pyotp.TOTP(two_factor_secret(two_factor_setup_begin(person=person)))
    codes = two_factor_confirm(person=person, code=app.at(steady_now(app), counter_offset=-1))
    return app, codes


def steady_now(app: pyotp.TOTP) -> float:
    """Now, or the start of the next step if this one ends within two seconds: a code of the
    previous step, checked a moment later, must not have become two steps old on the way (a
    flaky refusal seen once under a loaded CI)."""
    now = time.time()
    left = app.interval - now % app.interval
    if left < 2:
        time.sleep(left + 0.05)
        now = time.time()
    return now


def wrong_code(app: pyotp.TOTP) -> str:
    """Six digits that are none of the codes the app could show around now."""
    now = time.time()
    valid = {app.at(now, counter_offset=offset) for offset in (-2, -1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(1_000_000)) if code not in valid)
