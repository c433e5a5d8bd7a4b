"""What the dashboard's periods are, in words (the time zone's words are core's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portevoix.core.zone import time_zone_label


def periods_note() -> str:
    """What the dashboard's periods are."""
    return _(
        "Periods are the organisation's days, from midnight to midnight, %(zone)s; weeks start "
        "on Monday, and the first period starts on the day chosen."
    ) % {"zone": time_zone_label()}
