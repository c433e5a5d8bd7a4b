"""Period presets, the previous period a figure is compared with, and a period in words.

Periods are ranges of organisation days (end included); shifting them moves whole days, so a
day stays local midnight to local midnight across month ends and daylight-saving changes
(`Filters.since` / `until` turn days into instants).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portevoix.core.zone import time_zone_label

if TYPE_CHECKING:  # filters.py reads the presets from here
    from django_stubs_ext import StrOrPromise

    from portevoix.analytics.filters import Filters

CUSTOM = "custom"
# The presets a dashboard offers, in the order shown. "custom" is any pair of dates.
PRESETS: dict[str, StrOrPromise] = {
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "quarter": gettext_lazy("This quarter"),
    "year": gettext_lazy("This year"),
}
DEFAULT_PRESET = "30d"


def preset_range(preset: str, *, today: date) -> tuple[date, date]:
    """First and last day of a preset ending today (the quarter and the year so far)."""
    if preset == "7d":
        return today - timedelta(days=6), today
    if preset == "30d":
        return today - timedelta(days=29), today
    if preset == "quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1), today
    if preset == "year":
        return today.replace(month=1, day=1), today
    raise ValueError(preset)


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period of the same number of days that ends the day before `start`: 7–13 March is
    compared with 28 February–6 March, and "this quarter so far" with as many days before it
    (never with a whole calendar quarter, which would compare 67 days with 92)."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def previous_filters(filters: Filters) -> Filters:
    """The same filters over the previous period: read by the same functions as the period."""
    start, end = previous_range(filters.start, filters.end)
    return replace(filters, start=start, end=end, preset=CUSTOM)


def day_words(day: date, *, with_year: bool = False) -> str:
    """A day as the language writes dates ("5 déc.", "5 Dec"), the year only when asked."""
    found = get_format("DATE_FORMAT")
    return date_format(day, found if with_year else found.replace(" Y", ""))


def range_words(start: date, end: date) -> str:
    """ "7 Nov – 6 Dec 2026"; the year only once when both days share it."""
    if start == end:
        return day_words(end, with_year=True)
    return (
        f"{day_words(start, with_year=start.year != end.year)} – {day_words(end, with_year=True)}"
    )


def period_words(filters: Filters) -> str:
    """The line above the key figures: "Last 30 days · 7 Nov – 6 Dec 2026 · Paris time"."""
    parts = [str(PRESETS[filters.preset])] if filters.preset in PRESETS else []
    parts += [range_words(filters.start, filters.end), time_zone_label()]
    return " · ".join(parts)


def previous_words(filters: Filters) -> str:
    """What the trends compare with, in words."""
    previous = range_words(*previous_range(filters.start, filters.end))
    return _("previous period: %(range)s") % {"range": previous}
