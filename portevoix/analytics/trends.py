"""A figure's change against the previous period of the same length (docs/metrics.md, the
trend rule): ▲ 12 %, ▼ 3 %, "new" when the previous period had none, nothing when neither
had any or the figure is not measured."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

UP, DOWN, SAME, NEW = "up", "down", "same", "new"


@dataclass(frozen=True)
class Trend:
    direction: str  # up, down, same or new
    percent: int | None  # the change in whole percent of the previous value; None for "new"

    @property
    def symbol(self) -> str:
        return {UP: "▲", DOWN: "▼", SAME: "=", NEW: "✦"}[self.direction]

    @property
    def words(self) -> str:
        """What the badge shows: "12 %", "< 1 %", "unchanged", "new"."""
        if self.direction == NEW:
            return _("new")
        if self.direction == SAME:
            return _("unchanged")
        if self.percent == 0:
            return _("< 1 %")
        return _("%(percent)s %%") % {"percent": self.percent}

    @property
    def sentence(self) -> str:
        """The same for a screen reader, which reads no arrow."""
        if self.direction == UP:
            return _("up %(change)s") % {"change": self.words}
        if self.direction == DOWN:
            return _("down %(change)s") % {"change": self.words}
        return self.words


def trend(current: float | None, previous: float | None) -> Trend | None:
    """The change from `previous` to `current`. None (nothing shown) when either is not
    measured or both are zero. Rounded half up to a whole percent; a change below half a
    percent is "< 1 %", never "0 %", which would read as no change."""
    if current is None or previous is None or (current == 0 and previous == 0):
        return None
    if previous == 0:
        return Trend(NEW, None)
    if current == previous:
        return Trend(SAME, 0)
    change = abs(Decimal(str(current)) - Decimal(str(previous))) / abs(Decimal(str(previous)))
    percent = int((change * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Trend(UP if current > previous else DOWN, percent)
