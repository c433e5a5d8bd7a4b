"""What kind of figure each one is, shown beside it so that nobody takes an estimate for a
count: a word in the tables, a badge with its definition on the tiles."""

from __future__ import annotations

from django.utils.translation import gettext as _

COUNT, VERIFIED, RAW, POTENTIAL, ESTIMATED = "count", "verified", "raw", "potential", "estimated"
RATE = "rate"  # one count divided by another, not a count


def kind_label(kind: str) -> str:
    return {
        COUNT: _("count"),
        VERIFIED: _("verified"),
        RAW: _("raw"),
        POTENTIAL: _("potential"),
        ESTIMATED: _("estimated"),
        RATE: _("rate"),
    }[kind]


def kind_definition(kind: str) -> str:
    """What a kind of figure means, shown when its badge is focused or hovered."""
    return {
        COUNT: _("Counted from the records of the period."),
        VERIFIED: _(
            "Only people: no bots, no ambassador's own clicks, one click per visitor and link "
            "a day."
        ),
        RAW: _("Every click recorded, bots and repeats included."),
        POTENTIAL: _("Declared followers of the people who shared, each counted once."),
        ESTIMATED: _("An estimate from rates an admin can change."),
        RATE: _("One count divided by another."),
    }[kind]
