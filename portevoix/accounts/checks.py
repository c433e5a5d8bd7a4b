"""System checks: a mistyped LOGIN_RATE stops `manage.py check` and start-up, not a log-in."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from portevoix.accounts.login_limits import parse_rate


@register()
def login_rate_check(app_configs=None, **kwargs) -> list[Error]:
    try:
        parse_rate(settings.LOGIN_RATE)
    except ValueError:
        return [
            Error(
                f"LOGIN_RATE is {settings.LOGIN_RATE!r}: write a count per period, e.g. 10/m "
                "(periods: s, m, h, d, optionally with a number: 10/5m).",
                id="accounts.E001",
            )
        ]
    return []
