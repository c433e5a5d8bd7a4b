"""The programme dashboard and "my statistics", put together from the selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portevoix.analytics import clicks, people, tables, value
from portevoix.analytics.filters import Filters
from portevoix.analytics.tables import Table

VERSION_KEY = "analytics:programme:version"
# What kind of figure each one is: shown beside it, so nobody takes an estimate for a count.
COUNT, VERIFIED, RAW, POTENTIAL, ESTIMATED = "count", "verified", "raw", "potential", "estimated"
RATE = "rate"  # one count divided by another, not a count


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    kind: str


def kind_label(kind: str) -> str:
    return {
        COUNT: _("count"),
        VERIFIED: _("verified"),
        RAW: _("raw"),
        POTENTIAL: _("potential"),
        ESTIMATED: _("estimated"),
        RATE: _("rate"),
    }[kind]


def summary_table(figures: list[Figure]) -> Table:
    table = Table("summary", _("Key figures"), [_("Figure"), _("Value"), _("What it is")])
    table.rows = [[f.label, f.value, kind_label(f.kind)] for f in figures]
    return table


def programme_figures(
    *,
    filters: Filters,
    figures: clicks.ClickFigures | None = None,
    shares: people.ShareFigures | None = None,
) -> list[Figure]:
    figures = figures or clicks.ClickFigures(filters)
    shares = shares or people.ShareFigures(filters)
    adoption = shares.adoption()
    totals = figures.totals
    reach = shares.potential_reach()
    verified = figures.verified_by_network()
    emv = sum(m.value for m in value.media_values(reach=reach, verified_by_network=verified))
    rate = adoption.participation_rate
    months = tables.period_months(filters)
    overall = value.amplification_overall(
        value.amplification(reach=reach, verified_by_network=verified, months=months)
    )
    share_count = shares.total
    return [
        # Everyone with an account, invited or not (the first admin never is): named for what
        # it counts.
        Figure(_("People with an account"), adoption.accounts, COUNT),
        Figure(_("Activated"), adoption.activated, COUNT),
        Figure(_("Opted in"), adoption.opted_in, COUNT),
        Figure(_("Active ambassadors"), adoption.active, COUNT),
        Figure(_("Participation rate (%)"), None if rate is None else round(100 * rate, 1), RATE),
        Figure(_("Shares"), share_count, COUNT),
        Figure(_("Verified clicks"), totals["verified"], VERIFIED),
        Figure(_("Raw clicks"), totals["raw"], RAW),
        Figure(_("Unique visitors (visitor-days)"), totals["visitors"], VERIFIED),
        Figure(
            _("Verified clicks per share"),
            None if not share_count else round(totals["verified"] / share_count, 2),
            VERIFIED,
        ),
        Figure(_("Conversions"), totals["conversions"], VERIFIED),
        Figure(_("Potential reach"), sum(reach.values()), POTENTIAL),
        Figure(
            _("Amplification ratio (potential reach ÷ brand followers)"),
            overall.reach_ratio,
            ESTIMATED,
        ),
        Figure(
            _("Traffic ratio (verified clicks ÷ the brand's own traffic)"),
            overall.traffic_ratio,
            ESTIMATED,
        ),
        Figure(_("Earned media value (€)"), emv, ESTIMATED),
    ]


# The dashboard's pages and the tables each shows, in order. A year of the whole programme is
# hundreds of thousands of counter rows and a bitmap per person: each page reads only what its
# own tables need (docs/analytics.md).
SECTIONS: dict[str, tuple[str, ...]] = {
    "overview": ("summary", "series", "networks", "amplification", "conversions"),
    "rankings": ("campaigns", "posts", "ambassadors"),
    "health": ("groups", "cohorts", "monthly"),
}


def section_of(slug: str) -> str | None:
    """The page that shows the table `slug`, None for no table of the dashboard."""
    return next((name for name, slugs in SECTIONS.items() if slug in slugs), None)


def programme_tables(*, filters: Filters, section: str | None = None) -> list[Table]:
    """The tables of one page of the dashboard, or of every page (`section` None: the XLSX of
    everything). Every table reads the same click and share figures: each query is made once."""
    figures = clicks.ClickFigures(filters)
    shares = tables.share_figures(filters)
    common = {"filters": filters, "figures": figures}
    builders: dict[str, Callable[[], Table]] = {
        "summary": lambda: summary_table(programme_figures(**common, shares=shares)),
        "series": lambda: tables.series_table(**common, shares=shares),
        "networks": lambda: tables.networks_table(**common, shares=shares),
        "amplification": lambda: tables.amplification_table(**common, shares=shares),
        "conversions": lambda: tables.conversions_table(**common),
        "campaigns": lambda: tables.campaigns_table(**common),
        "posts": lambda: tables.top_posts_table(**common),
        "ambassadors": lambda: tables.top_ambassadors_table(**common),
        "groups": lambda: tables.groups_table(**common, shares=shares),
        "cohorts": lambda: tables.cohorts_table(filters=filters, shares=shares),
        "monthly": lambda: monthly_active_table(filters=filters, shares=shares),
    }
    sections = [section] if section else list(SECTIONS)
    return [builders[slug]() for name in sections for slug in SECTIONS[name]]


def programme_tables_cached(*, filters: Filters, section: str | None = None) -> list[Table]:
    """The programme tables, kept ANALYTICS_CACHE_SECONDS per page, filters and language: a
    year's dashboard reads hundreds of thousands of counter rows, and counters only move when
    ingestion runs. Saving brand channels or rates bumps the version, so those show at once."""
    seconds = settings.ANALYTICS_CACHE_SECONDS
    if seconds <= 0:
        return programme_tables(filters=filters, section=section)
    version = cache.get_or_set(VERSION_KEY, 1, None)
    query = urlencode(sorted(filters.query().items()))
    key = f"analytics:programme:{version}:{section or 'all'}:{get_language()}:{query}"
    found = cache.get(key)
    if found is None:
        found = programme_tables(filters=filters, section=section)
        cache.set(key, found, seconds)
    return found


def programme_cache_bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet: nothing cached under a version
        cache.set(VERSION_KEY, 2, None)


def monthly_active_table(*, filters: Filters, shares: people.ShareFigures | None = None) -> Table:
    table = Table("monthly", _("Monthly active ambassadors"), [_("Month"), _("Active people")])
    for month, count in (shares or people.ShareFigures(filters)).monthly_active().items():
        table.rows.append([month.strftime("%Y-%m"), count])
    return table


def personal_tables(*, filters: Filters) -> list[Table]:
    """Only the person of `filters.ambassador_id`: the caller fixes it."""
    assert filters.ambassador_id is not None
    figures = clicks.ClickFigures(filters)
    totals = figures.totals
    shares = tables.share_figures(filters)
    reach = shares.potential_reach()
    key_figures = [
        Figure(_("Shares"), shares.total, COUNT),  # whoever reads: the person or the pilot team
        Figure(_("Verified clicks"), totals["verified"], VERIFIED),
        Figure(_("Raw clicks"), totals["raw"], RAW),
        Figure(_("Conversions"), totals["conversions"], VERIFIED),
        Figure(_("Potential reach"), sum(reach.values()), POTENTIAL),
        Figure(_("Points"), tables.points_for(filters=filters), COUNT),
    ]
    return [
        summary_table(key_figures),
        tables.series_table(filters=filters, figures=figures, shares=shares),
        tables.networks_table(filters=filters, figures=figures, shares=shares),
        tables.per_post_table(filters=filters, figures=figures),
    ]
