"""The programme dashboard and "my statistics", put together from the selectors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.utils.timezone import localtime, now
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portevoix.analytics import glance, periods, tables, value
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.click_figures.links import LinkOwners
from portevoix.analytics.filters import Filters
from portevoix.analytics.kinds import COUNT, ESTIMATED, POTENTIAL, RATE, RAW, VERIFIED, kind_label
from portevoix.analytics.share_figures import ShareFigures
from portevoix.analytics.tables import Table
from portevoix.tracking.counters import Property
from portevoix.tracking.visitors import local_day, organisation_zone

VERSION_KEY = "analytics:programme:version"
# Changed by ingestion batches and conversions alone: they change no share or people figure,
# nor which links a page's filters match, so those stay kept across them (`PageKept`).
CLICKS_VERSION_KEY = "analytics:programme:clicks-version"
ANALYTICS_CACHE = "analytics"  # the cache alias of the kept tables, when settings define it


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    kind: str
    slug: str = ""  # names the figure for the key-figure tiles (glance.py)


def summary_table(figures: list[Figure]) -> Table:
    table = Table("summary", _("Key figures"), [_("Figure"), _("Value"), _("What it is")])
    table.rows = [[f.label, f.value, kind_label(f.kind)] for f in figures]
    return table


def programme_figures(
    *,
    filters: Filters,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> list[Figure]:
    figures = figures or ClickFigures(filters)
    shares = shares or ShareFigures(filters)
    adoption = shares.adoption()
    totals = figures.totals
    verified_total = totals[Property.VERIFIED]
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
        Figure(_("People with an account"), adoption.accounts, COUNT, "accounts"),
        Figure(_("Activated"), adoption.activated, COUNT, "activated"),
        Figure(_("Opted in"), adoption.opted_in, COUNT, "opted_in"),
        Figure(_("Active ambassadors"), adoption.active, COUNT, "active"),
        Figure(
            _("Participation rate (%)"),
            None if rate is None else round(100 * rate, 1),
            RATE,
            "participation",
        ),
        Figure(_("Shares"), share_count, COUNT, "shares"),
        Figure(_("Verified clicks"), verified_total, VERIFIED, "verified"),
        Figure(_("Raw clicks"), totals[Property.RAW], RAW, "raw"),
        *excluded_figures(totals),
        Figure(
            _("Unique visitors (visitor-days)"), totals[Property.VISITORS], VERIFIED, "visitors"
        ),
        Figure(
            _("Verified clicks per share"),
            None
            if not share_count or verified_total is None
            else round(verified_total / share_count, 2),
            VERIFIED,
            "per_share",
        ),
        Figure(_("Conversions"), totals[Property.CONVERSIONS], VERIFIED, "conversions"),
        Figure(_("Potential reach"), sum(reach.values()), POTENTIAL, "reach"),
        Figure(
            _("Amplification ratio (potential reach ÷ brand followers)"),
            overall.reach_ratio,
            ESTIMATED,
            "amplification",
        ),
        Figure(
            _("Traffic ratio (verified clicks ÷ the brand's own traffic)"),
            overall.traffic_ratio,
            ESTIMATED,
            "traffic",
        ),
        Figure(_("Earned media value (€)"), emv, ESTIMATED, "emv"),
    ]


def excluded_labels() -> dict[str, str]:
    """The clicks raw clicks count and verified clicks do not, by reason (docs/metrics.md)."""
    return {
        Property.BOT: _("Excluded: bots and link previews"),
        Property.SCANNER: _("Excluded: e-mail link scanners"),
        Property.SELF: _("Excluded: the ambassadors' own clicks"),
        Property.REPEAT: _("Excluded: repeats of the same visitor"),
    }


def excluded_figures(totals: dict[str, int | None]) -> list[Figure]:
    """Excluded clicks by reason; None (shown as not measured) for a selection that combines."""
    return [
        Figure(label, totals[prop], RAW, f"excluded_{prop}")
        for prop, label in excluded_labels().items()
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


@dataclass
class PageKept:
    """What one page reads that an ingestion batch does not change, kept across batches
    (`programme_tables_cached`): its share figures (and its previous period's, for the
    overview's trends), and the links its filters match (a network and a group: 7,250 links
    at 100M clicks, 45–70 ms to find at each load, docs/metrics.md)."""

    current: ShareFigures
    previous: ShareFigures
    links: LinkOwners

    @classmethod
    def of(cls, filters: Filters) -> PageKept:
        return cls(
            tables.share_figures(filters),
            ShareFigures(periods.previous_filters(filters)),
            LinkOwners(filters),
        )


def programme_tables(
    *, filters: Filters, section: str | None = None, page_kept: PageKept | None = None
) -> TableList:
    """The tables of one page of the dashboard, or of every page (`section` None: the XLSX of
    everything). Every table reads the same click and share figures: each query is made once.
    The overview also gets its first screen (`glance`): tiles, trends and top fives."""
    as_of = now()
    page_kept = page_kept or PageKept.of(filters)
    figures = ClickFigures(filters, link_owners=page_kept.links)
    shares = page_kept.current
    common: dict[str, Any] = {"filters": filters, "figures": figures}
    key_figures: list[Figure] = []

    def summary() -> Table:
        key_figures.extend(programme_figures(**common, shares=shares))
        return summary_table(key_figures)

    builders: dict[str, Callable[[], Table]] = {
        "summary": summary,
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
    found = TableList(
        [builders[slug]() for name in sections for slug in SECTIONS[name]], as_of=as_of
    )
    if section == "overview":
        before = figures.previous()
        found.glance = programme_glance(
            filters=filters,
            figures=figures,
            key_figures=key_figures,
            before=before,
            before_shares=page_kept.previous,
        )
        found.previous_series = previous_series(before)
    return found


def programme_glance(
    *,
    filters: Filters,
    figures: ClickFigures,
    key_figures: list[Figure],
    before: ClickFigures,
    before_shares: ShareFigures | None = None,
) -> glance.Glance:
    """The overview's first screen. The previous period's key figures are the same function's
    with shifted dates; the top fives are ranked like the rankings page's."""
    found = glance.Glance(
        compared=periods.previous_words(filters),
        tiles=glance.tiles(
            current=key_figures,
            previous=programme_figures(
                filters=before.filters, figures=before, shares=before_shares
            ),
            slugs=glance.PROGRAMME_TILES,
        ),
        posts=glance.top_posts(filters=filters, figures=figures),
        ambassadors=glance.top_ambassadors(filters=filters, figures=figures),
    )
    if filters.campaign_id is not None:
        found.goal = glance.goal_progress(
            campaign_id=filters.campaign_id, today=local_day(now()), group_id=filters.group_id
        )
    return found


def previous_series(before: ClickFigures) -> list[int]:
    """Verified clicks of each step of the previous period, drawn faintly under the series:
    the same counters and steps, shifted."""
    return [counts[Property.VERIFIED] for counts in before.series().values()]


class TableList(list):
    """Tables, with the moment their figures were computed (`as_of`, aware): a kept page says
    how old its figures are."""

    as_of: datetime
    glance: glance.Glance | None = None  # the first screen, on the pages that have one
    previous_series: list[int] | None = None  # the series' previous period, for its chart

    def __init__(self, tables: list[Table], *, as_of: datetime) -> None:
        super().__init__(tables)
        self.as_of = as_of

    @property
    def as_of_label(self) -> str:
        """The line a page shows, such as "Figures as of 14:05 (Europe/Paris)": the time is in
        the organisation's zone, like the days of the periods."""
        zone = organisation_zone()
        return _("Figures as of %(time)s (%(zone)s)") % {
            "time": localtime(self.as_of, zone).strftime("%H:%M"),
            "zone": zone.key,
        }


def _store() -> BaseCache:
    """Where the programme tables are kept: the `analytics` cache when settings give one (a
    folder of its own, emptied at each bump), otherwise the default cache."""
    return caches[ANALYTICS_CACHE] if ANALYTICS_CACHE in settings.CACHES else caches["default"]


def _own_folder() -> bool:
    """Whether the kept tables have a folder of their own, which a bump may empty whole."""
    found = settings.CACHES.get(ANALYTICS_CACHE)
    if not found:
        return False
    return found.get("LOCATION") != settings.CACHES["default"].get("LOCATION")


def _version(key: str) -> str:
    # Never None: the token is made when missing.
    return cast(str, _store().get_or_set(key, lambda: uuid.uuid4().hex, None))


def programme_cache_version() -> str:
    """The version the kept tables are filed under. A random token, not a counter: a version
    key lost to the cache's culling never brings back tables filed under an old number."""
    return _version(VERSION_KEY)


def programme_tables_cached(*, filters: Filters, section: str | None = None) -> TableList:
    """The programme tables, kept ANALYTICS_CACHE_SECONDS per page, filters and language: a
    year's dashboard reads hundreds of thousands of counter rows. Whatever changes a figure or
    a name (ingestion, shares, conversions, people, rates: receivers.py) bumps the version, so
    pages show it at once."""
    seconds = settings.ANALYTICS_CACHE_SECONDS
    if seconds <= 0:
        return programme_tables(filters=filters, section=section)
    store = _store()
    version = programme_cache_version()
    clicks = _version(CLICKS_VERSION_KEY)
    # The days too: a preset ("last 30 days") names other days tomorrow.
    query = urlencode(sorted(filters.query().items())) + f"&{filters.start}:{filters.end}"
    page = f"{section or 'all'}:{query}"
    key = f"analytics:programme:{version}:{clicks}:{get_language()}:{page}"
    found = store.get(key)
    if not isinstance(found, TableList):  # not kept (or by a version without the time)
        # After an ingestion batch only the click counters are read again.
        kept_key = f"analytics:kept:{version}:{page}"
        kept = store.get(kept_key)
        page_kept = kept if isinstance(kept, PageKept) else PageKept.of(filters)
        found = programme_tables(filters=filters, section=section, page_kept=page_kept)
        # Bumped while these were computed: they may hold what the bump was about (an erased
        # name), so they are shown once and not kept.
        if store.get(VERSION_KEY) == version:
            if not isinstance(kept, PageKept):
                store.set(kept_key, page_kept, seconds)
            if store.get(CLICKS_VERSION_KEY) == clicks:
                store.set(key, found, seconds)
    return found


def programme_cache_bump() -> None:
    """Forget every kept table. A folder of their own is emptied, so no file keeps figures or
    names past the bump, expired or not (the file cache deletes an expired file only when the
    same key is read again, and an old version's keys never are)."""
    store = _store()
    if isinstance(store, FileBasedCache) and _own_folder():
        store.clear()
    store.set(VERSION_KEY, uuid.uuid4().hex, None)


def clicks_cache_bump() -> None:
    """Forget the kept tables after an ingestion batch or a conversion, which change click
    figures alone: the pages' share figures stay kept. Nothing is emptied: a batch changes no
    name, and the tables under older versions go at their expiry or when the cache culls."""
    _store().set(CLICKS_VERSION_KEY, uuid.uuid4().hex, None)


def monthly_active_table(*, filters: Filters, shares: ShareFigures | None = None) -> Table:
    table = Table("monthly", _("Monthly active ambassadors"), [_("Month"), _("Active people")])
    for month, count in (shares or ShareFigures(filters)).monthly_active().items():
        table.rows.append([month.strftime("%Y-%m"), count])
    return table


def personal_figures(
    filters: Filters,
    *,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> list[Figure]:
    """One person's key figures (whoever reads: the person or the pilot team)."""
    totals = (figures or ClickFigures(filters)).totals
    shares = shares or ShareFigures(filters)
    return [
        Figure(_("Shares"), shares.total, COUNT, "shares"),
        Figure(_("Verified clicks"), totals[Property.VERIFIED], VERIFIED, "verified"),
        Figure(_("Raw clicks"), totals[Property.RAW], RAW, "raw"),
        Figure(_("Conversions"), totals[Property.CONVERSIONS], VERIFIED, "conversions"),
        Figure(_("Potential reach"), sum(shares.potential_reach().values()), POTENTIAL, "reach"),
        Figure(_("Points"), tables.points_for(filters=filters), COUNT, "points"),
    ]


def personal_tables(*, filters: Filters) -> TableList:
    """Only the person of `filters.ambassador_id`: the caller fixes it. Never kept."""
    assert filters.ambassador_id is not None
    as_of = now()
    figures = ClickFigures(filters)
    shares = tables.share_figures(filters)
    key_figures = personal_figures(filters, figures=figures, shares=shares)
    found = TableList(
        [
            summary_table(key_figures),
            tables.series_table(filters=filters, figures=figures, shares=shares),
            tables.networks_table(filters=filters, figures=figures, shares=shares),
            tables.per_post_table(filters=filters, figures=figures),
        ],
        as_of=as_of,
    )
    before = figures.previous()
    found.glance = glance.Glance(
        compared=periods.previous_words(filters),
        tiles=glance.tiles(
            current=key_figures,
            previous=personal_figures(before.filters, figures=before),
            slugs=glance.PERSONAL_TILES,
        ),
        best_post=glance.best_post(filters=filters, figures=figures),
        rank=glance.rank_in_rankings(filters.ambassador_id),
    )
    found.previous_series = previous_series(before)
    return found
