"""How long each kind of data about a person is kept: one function per kind, read by the
"what my employer sees" page and the signed figures report.

Today only raw clicks have a retention setting (CLICK_RETENTION_DAYS); everything else is kept
while the account exists and erased with it (accounts/privacy.py). When a retention setting is
added for a kind, its function here is the one place to point at it: both pages follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Keeping:
    """`days`: deleted that many days after it happened; None: kept until the account is
    erased (or, for figures that do not name anyone, kept)."""

    days: int | None
    setting: str = ""  # the setting that decides it, when there is one


def raw_clicks() -> Keeping:
    return Keeping(settings.CLICK_RETENTION_DAYS, "CLICK_RETENTION_DAYS")


def click_counters() -> Keeping:
    """Counters per link and per ambassador are erased with the account (docs/metrics.md)."""
    return Keeping(None)


def shares() -> Keeping:
    return Keeping(None)


def points() -> Keeping:
    return Keeping(None)


def badges_and_challenges() -> Keeping:
    return Keeping(None)


def account() -> Keeping:
    return Keeping(None)


def audit_entries() -> Keeping:
    return Keeping(None)


def as_dict() -> dict[str, int | None]:
    """Days per kind (None: until the account is erased), for the signed report."""
    kinds = {
        "raw_clicks": raw_clicks,
        "click_counters": click_counters,
        "shares": shares,
        "points": points,
        "badges_and_challenges": badges_and_challenges,
        "account": account,
        "audit_entries": audit_entries,
    }
    return {name: keeping().days for name, keeping in kinds.items()}
