""" "What my employer sees about me": every row and figure the pilot team can see about one
person, who can see it, how long it is kept, and what hiding from rankings or leaving the
programme changes (docs/governance.md).

It cannot drift from the pilot pages because it calls what they call: the person's key figures
and per-post table (`personal_figures`, `per_post_table`: the statistics page an editor opens
for them), the dashboard's top ambassadors (`top_ambassadors_table`), the leaderboard
(`leaderboard`, `rank_of`). How long each kind is kept comes from keeping.py, one function per
kind of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portevoix.accounts.models import Person
from portevoix.analytics import keeping, tables
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.dashboard import Figure, personal_figures
from portevoix.analytics.filters import Filters
from portevoix.gamification.leaderboards import leaderboard, rank_of


@dataclass(frozen=True)
class Seen:
    """One thing the pilot team can see about the person."""

    slug: str
    what: str
    values: list[tuple[str, object]]  # (label, value) as the pilot pages show them
    seen_by: str
    where: str  # the pilot page, in words
    kept: keeping.Keeping
    when_hidden: str  # what "hide me from leaderboards" changes
    when_opted_out: str  # what leaving the programme changes
    rows: list[list[object]] = field(default_factory=list)  # a table's rows, when it is one


def kept_words(kept: keeping.Keeping) -> str:
    if kept.days is None:
        return _("Until your account is erased.")
    return ngettext(
        "%(days)d day, then deleted (%(setting)s).",
        "%(days)d days, then deleted (%(setting)s).",
        kept.days,
    ) % {"days": kept.days, "setting": kept.setting}


def _pilot_team() -> str:
    return _(
        "Admins and editors; once editors are limited to groups, the editors of the groups "
        "you belong to."
    )


def _figure_values(figures: list[Figure]) -> list[tuple[str, object]]:
    return [(f.label, f.value) for f in figures]


def what_they_see(*, person: Person, filters: Filters) -> list[Seen]:
    """Everything the pilot team sees about `person` for the period of `filters` (the
    person's own filter is set here, whatever `filters` held)."""
    mine = filters.for_person(person.pk)
    figures = ClickFigures(mine)
    shares = tables.share_figures(mine)
    key_figures = personal_figures(mine, figures=figures, shares=shares)
    per_post = tables.per_post_table(filters=mine, figures=figures)
    programme = Filters(start=filters.start, end=filters.end)
    # Their own line, found by who they are (a namesake's is not theirs); a hidden person is
    # never in the table.
    top = tables.top_ambassadors_table(filters=programme, only=person.pk)
    my_row = [] if person.hide_from_rankings else top.rows
    month_rank = rank_of(person, period="month")
    listed = any(row.person_id == person.pk for row in leaderboard(period="month"))
    unchanged_when_hidden = _("Nothing: these are not rankings.")
    opted_out = _(
        "Nothing new is counted from the moment you leave; what was counted before stays."
    )
    return [
        Seen(
            "account",
            _("Your account"),
            [
                (_("Name"), person.full_name),
                (_("E-mail"), person.email),
                (_("Role"), person.get_role_display()),
                (_("Groups"), ", ".join(g.name for g in person.groups.order_by("name"))),
                (_("Ambassador"), _("yes") if person.is_ambassador else _("no")),
            ],
            _("Admins."),
            _("People"),
            keeping.account(),
            unchanged_when_hidden,
            _("You stay on the list of people, marked as not an ambassador."),
        ),
        Seen(
            "key_figures",
            _("Your key figures for the period"),
            _figure_values(key_figures),
            _pilot_team(),
            _("Statistics of one ambassador (the dashboard, filtered on you)"),
            keeping.click_counters(),
            unchanged_when_hidden,
            opted_out,
        ),
        Seen(
            "per_post",
            _("Your clicks per post"),
            [],
            _pilot_team(),
            _("Statistics of one ambassador: per post"),
            keeping.click_counters(),
            unchanged_when_hidden,
            opted_out,
            rows=per_post.rows,
        ),
        Seen(
            "raw_clicks",
            _("Each click on your links (time, device, the site it came from)"),
            [],
            _("Nobody on a page: they are counted into the figures above, then deleted."),
            _("None"),
            keeping.raw_clicks(),
            unchanged_when_hidden,
            opted_out,
        ),
        Seen(
            "top_ambassadors",
            _("Your line in the dashboard's top ambassadors"),
            [(_("Listed"), _("yes") if my_row else _("no"))],
            _pilot_team(),
            _("Dashboard: campaigns, posts and ambassadors"),
            keeping.click_counters(),
            _("You are never listed there."),
            opted_out,
            rows=my_row,
        ),
        Seen(
            "leaderboard",
            _("Your points and rank on the leaderboard (this month)"),
            [
                (_("Points"), month_rank.points if month_rank else 0),
                (_("Rank"), month_rank.rank if month_rank else None),
                (_("Shown to others"), _("yes") if listed else _("no")),
            ],
            _("Everyone with an account, unless you hide from leaderboards."),
            _("Leaderboard"),
            keeping.points(),
            _("Only you see your rank; nobody else sees your line."),
            _("You leave the leaderboards; your points stay."),
        ),
        Seen(
            "engagement",
            _("Your share in your groups' engagement"),
            [],
            _pilot_team() + " " + _("Never your name: a count of members who shared."),
            _("Dashboard: programme health"),
            keeping.shares(),
            unchanged_when_hidden,
            _("You are no longer counted among the opted-in members."),
        ),
        Seen(
            "audit",
            _("What admins did to your account (role, groups, deactivation)"),
            [],
            _("Admins."),
            _("Audit log"),
            keeping.audit_entries(),
            unchanged_when_hidden,
            _("Nothing."),
        ),
    ]
