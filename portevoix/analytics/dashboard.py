"""The programme dashboard and "my statistics", put together from the selectors."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portevoix.analytics import clicks, people, tables, value
from portevoix.analytics.filters import Filters
from portevoix.analytics.tables import Table
from portevoix.content.models import Post

VERSION_KEY = "analytics:programme:version"
# What kind of figure each one is: shown beside it, so nobody takes an estimate for a count.
COUNT, VERIFIED, RAW, POTENTIAL, ESTIMATED = "count", "verified", "raw", "potential", "estimated"


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
    amplification = value.amplification(reach=reach, verified_by_network=verified, months=months)
    brand = sum(a.brand_followers or 0 for a in amplification)
    ratio = None if not brand else round(sum(reach.values()) / brand, 1)
    # Traffic: only networks where the admin entered the brand's own traffic compare.
    with_traffic = [a for a in amplification if a.brand_traffic]
    own_traffic = sum(a.brand_traffic for a in with_traffic)
    brought = sum(a.verified_clicks for a in with_traffic)
    traffic_ratio = None if not own_traffic else round(brought / own_traffic, 1)
    share_count = shares.total
    return [
        Figure(_("Invited"), adoption.invited, COUNT),
        Figure(_("Activated"), adoption.activated, COUNT),
        Figure(_("Opted in"), adoption.opted_in, COUNT),
        Figure(_("Active ambassadors"), adoption.active, COUNT),
        Figure(_("Participation rate (%)"), None if rate is None else round(100 * rate, 1), COUNT),
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
        Figure(_("Amplification ratio (potential reach ÷ brand followers)"), ratio, ESTIMATED),
        Figure(
            _("Traffic ratio (verified clicks ÷ the brand's own traffic)"),
            traffic_ratio,
            ESTIMATED,
        ),
        Figure(_("Earned media value (€)"), emv, ESTIMATED),
    ]


def programme_tables(*, filters: Filters) -> list[Table]:
    # Every table reads the same click and share figures: each query is made once.
    figures = clicks.ClickFigures(filters)
    shares = tables.share_figures(filters)
    return [
        summary_table(programme_figures(filters=filters, figures=figures, shares=shares)),
        tables.series_table(filters=filters, figures=figures, shares=shares),
        tables.networks_table(filters=filters, figures=figures, shares=shares),
        tables.amplification_table(filters=filters, figures=figures, shares=shares),
        tables.campaigns_table(filters=filters, figures=figures),
        tables.top_posts_table(filters=filters, figures=figures),
        tables.top_ambassadors_table(filters=filters, figures=figures),
        tables.groups_table(filters=filters, figures=figures, shares=shares),
        tables.conversions_table(filters=filters, figures=figures),
        tables.cohorts_table(filters=filters, shares=shares),
        monthly_active_table(filters=filters, shares=shares),
    ]


def programme_tables_cached(*, filters: Filters) -> list[Table]:
    """The programme tables, kept ANALYTICS_CACHE_SECONDS per filters and language: a year's
    dashboard reads hundreds of thousands of counter rows, and counters only move when
    ingestion runs. Saving brand channels or rates bumps the version, so those show at once."""
    seconds = settings.ANALYTICS_CACHE_SECONDS
    if seconds <= 0:
        return programme_tables(filters=filters)
    version = cache.get_or_set(VERSION_KEY, 1, None)
    key = f"analytics:programme:{version}:{get_language()}:{urlencode(sorted(filters.query().items()))}"
    found = cache.get(key)
    if found is None:
        found = programme_tables(filters=filters)
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
        Figure(_("My shares"), shares.total, COUNT),
        Figure(_("Verified clicks"), totals["verified"], VERIFIED),
        Figure(_("Raw clicks"), totals["raw"], RAW),
        Figure(_("Conversions"), totals["conversions"], VERIFIED),
        Figure(_("Potential reach"), sum(reach.values()), POTENTIAL),
        Figure(_("Points"), tables.points_for(filters=filters), COUNT),
    ]
    posts = figures.breakdown("post")
    titles = dict(Post.objects.filter(pk__in=list(posts)).values_list("pk", "title"))
    names = {str(pk): title for pk, title in titles.items()}
    per_post = tables._breakdown_table(
        counts=posts,
        slug="posts",
        title=_("Per post"),
        label=_("Post"),
        names=names,
    )
    return [
        summary_table(key_figures),
        tables.series_table(filters=filters, figures=figures, shares=shares),
        tables.networks_table(filters=filters, figures=figures, shares=shares),
        per_post,
    ]
