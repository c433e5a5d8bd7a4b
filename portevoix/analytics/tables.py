"""The dashboard's tables, built once for the page and for the exports, so both always agree.

Each table is a title, column headers and rows of plain values (numbers, strings, dates).
Headers say what each figure is: verified, raw, potential, estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from portevoix.accounts.models import Network, Person
from portevoix.analytics import value
from portevoix.analytics.click_figures import ClickFigures, periods
from portevoix.analytics.filters import Filters
from portevoix.analytics.share_figures import ShareFigures, shares_for
from portevoix.content.models import Campaign, Post
from portevoix.gamification.models import PointEntry
from portevoix.tracking.counters import Dimension, Property
from portevoix.tracking.models import Goal

TOP = 10


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if not denominator else round(numerator / denominator, 2)


def share_figures(filters: Filters) -> ShareFigures:
    """Share figures whose counts follow the periods of the series."""
    return ShareFigures(filters, starts=periods(filters=filters))


def series_table(
    *,
    filters: Filters,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> Table:
    series = (figures or ClickFigures(filters)).series()
    per_period = (shares or share_figures(filters)).series()
    table = Table(
        "series",
        _("Over time"),
        [
            _("Period starting"),
            _("Shares"),
            _("Verified clicks"),
            _("Raw clicks"),
            _("Conversions"),
        ],
    )
    for start, counts in series.items():
        table.rows.append(
            [
                start,
                per_period.get(start, 0),
                counts[Property.VERIFIED],
                counts[Property.RAW],
                counts[Property.CONVERSIONS],
            ]
        )
    return table


def networks_table(
    *,
    filters: Filters,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> Table:
    share_counts = shares or ShareFigures(filters)
    reach = share_counts.potential_reach()
    shares_of = share_counts.by_network()
    figures = figures or ClickFigures(filters)
    by_network = figures.breakdown(Dimension.NETWORK)
    verified = figures.verified_by_network()
    emv = {m.network: m for m in value.media_values(reach=reach, verified_by_network=verified)}
    labels = dict(Network.choices)
    table = Table(
        "networks",
        _("By network"),
        [
            _("Network"),
            _("Shares"),
            _("Verified clicks"),
            _("Raw clicks"),
            _("Verified clicks per share"),
            _("Potential reach"),
            _("Estimated impressions"),
            _("Earned media value, estimated (€)"),
        ],
        note=_(
            "Earned media value = CPC × verified clicks + CPM × estimated impressions / 1000; "
            "estimated impressions = potential reach × share of followers who see a post."
        ),
    )
    for network in sorted(set(shares_of) | set(by_network) | set(reach)):
        counts = by_network.get(network, {})
        media = emv.get(network)
        table.rows.append(
            [
                labels.get(network, network),
                shares_of.get(network, 0),
                counts.get(Property.VERIFIED, 0),
                counts.get(Property.RAW, 0),
                _ratio(counts.get(Property.VERIFIED, 0), shares_of.get(network, 0)),
                reach.get(network, 0),
                media.estimated_impressions if media else 0,
                media.value if media else 0,
            ]
        )
    return table


def period_months(filters: Filters) -> float:
    """The period's length in months: brand traffic is entered per month."""
    return ((filters.end - filters.start).days + 1) / 30.4


def amplification_table(
    *,
    filters: Filters,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> Table:
    """The "×24 reach, ×5 traffic" claims, measured against the brand pages an admin entered."""
    reach = (shares or ShareFigures(filters)).potential_reach()
    verified = (figures or ClickFigures(filters)).verified_by_network()
    labels = dict(Network.choices)
    table = Table(
        "amplification",
        _("Amplification: ambassadors against the brand's own pages"),
        [
            _("Network"),
            _("Potential reach"),
            _("Brand page followers"),
            _("Reach ratio, estimated"),
            _("Verified clicks"),
            _("Brand's own traffic in the period, estimated"),
            _("Traffic ratio, estimated"),
        ],
        note=_(
            "Reach ratio = potential reach ÷ followers of the brand page; traffic ratio = "
            "verified clicks ÷ visits the brand's own posts bring (entered per month by an "
            "admin, scaled to the period). Empty until an admin enters the brand's figures. The "
            "key figures compare only the networks with a brand figure, on both sides."
        ),
    )
    months = period_months(filters)
    for row in value.amplification(reach=reach, verified_by_network=verified, months=months):
        table.rows.append(
            [
                labels.get(row.network, row.network),
                row.potential_reach,
                row.brand_followers,
                value.ratio_shown(row.reach_ratio),
                row.verified_clicks,
                row.brand_traffic,
                value.ratio_shown(row.traffic_ratio),
            ]
        )
    return table


def _breakdown_table(
    *, counts: dict, slug: str, title: str, label: str, names: dict[str, str]
) -> Table:
    table = Table(slug, title, [label, _("Verified clicks"), _("Raw clicks"), _("Conversions")])
    ordered = sorted(counts.items(), key=lambda item: (-item[1].get(Property.VERIFIED, 0), item[0]))
    for key, found in ordered:
        if key not in names:
            continue  # hidden from rankings, or deleted since
        table.rows.append(
            [
                names[key],
                found.get(Property.VERIFIED, 0),
                found.get(Property.RAW, 0),
                found.get(Property.CONVERSIONS, 0),
            ]
        )
    return table


def _ranked_table(*, ranked: list, slug: str, title: str, label: str, names: dict) -> Table:
    table = _breakdown_table(counts=dict(ranked), slug=slug, title=title, label=label, names=names)
    table.rows = table.rows[:TOP]
    return table


def top_posts_table(*, filters: Filters, figures: ClickFigures | None = None) -> Table:
    ranked = (figures or ClickFigures(filters)).top(Dimension.POST, TOP)
    keys = [key for key, _counts in ranked]
    names = {str(pk): t for pk, t in Post.objects.filter(pk__in=keys).values_list("pk", "title")}
    return _ranked_table(
        ranked=ranked, slug="posts", title=_("Top posts"), label=_("Post"), names=names
    )


def per_post_table(*, filters: Filters, figures: ClickFigures | None = None) -> Table:
    """Every post shared in the period (within the filters) or clicked in it: a post shared
    yesterday with no click yet is a row of zeros, not missing. Made for one person's
    statistics (a whole programme's would list every post)."""
    counts = (figures or ClickFigures(filters)).breakdown(Dimension.POST)
    shared = shares_for(filters=filters).values("post_id")
    posts = Post.objects.filter(Q(pk__in=[int(key) for key in counts]) | Q(pk__in=shared))
    names = {str(pk): title for pk, title in posts.values_list("pk", "title")}
    return _breakdown_table(
        counts={key: counts.get(key, {}) for key in names},
        slug="posts",
        title=_("Per post"),
        label=_("Post"),
        names=names,
    )


def visible_names(keys: list[str]) -> dict[str, str]:
    """Names of these people, leaving out those who hid from rankings."""
    visible = Person.objects.filter(pk__in=keys, hide_from_rankings=False)
    return {str(pk): name for pk, name in visible.values_list("pk", "full_name")}


def top_ambassadors_table(
    *, filters: Filters, figures: ClickFigures | None = None, only: int | None = None
) -> Table:
    """People who hid from rankings never appear here. `only`: the line of that person alone,
    if they are among the top (found by who they are: two people may share a name)."""
    ranked = (figures or ClickFigures(filters)).top(Dimension.AMBASSADOR, TOP, keep=visible_names)
    if only is not None:
        ranked = [(key, counts) for key, counts in ranked if key == str(only)]
    return _ranked_table(
        ranked=ranked,
        slug="ambassadors",
        title=_("Top ambassadors"),
        label=_("Ambassador"),
        names=visible_names([key for key, _counts in ranked]),
    )


def campaigns_table(*, filters: Filters, figures: ClickFigures | None = None) -> Table:
    counts = (figures or ClickFigures(filters)).breakdown(Dimension.CAMPAIGN)
    names = {str(pk): name for pk, name in Campaign.objects.values_list("pk", "name")}
    return _breakdown_table(
        counts=counts,
        slug="campaigns",
        title=_("By campaign"),
        label=_("Campaign"),
        names=names,
    )


def groups_table(
    *,
    filters: Filters,
    figures: ClickFigures | None = None,
    shares: ShareFigures | None = None,
) -> Table:
    counts = (figures or ClickFigures(filters)).breakdown(Dimension.GROUP)
    table = Table(
        "groups",
        _("By group: engagement index"),
        [
            _("Group"),
            _("Opted-in members"),
            _("Active members"),
            _("Engagement index"),
            _("Verified clicks"),
        ],
        note=_("Engagement index: share of the group's opted-in members who shared in the period."),
    )
    for row in (shares or ShareFigures(filters)).engagement_by_group():
        table.rows.append(
            [
                row.group.name,
                row.members,
                row.active,
                None if row.index is None else round(row.index, 2),
                counts.get(str(row.group.pk), {}).get(Property.VERIFIED, 0),
            ]
        )
    return table


def conversions_table(*, filters: Filters, figures: ClickFigures | None = None) -> Table:
    table = Table("conversions", _("Conversions by goal"), [_("Goal"), _("Conversions")])
    names = dict(Goal.choices)
    for goal, total in (figures or ClickFigures(filters)).conversions_by_goal().items():
        # A plain str: exports write it as text (openpyxl refuses lazy translations).
        table.rows.append([str(names.get(goal, goal)), total])
    return table


def cohorts_table(*, filters: Filters, shares: ShareFigures | None = None) -> Table:
    grid = (shares or ShareFigures(filters)).cohorts()
    width = max((len(row) for _m, _n, row in grid), default=1)
    table = Table(
        "cohorts",
        _("Cohort retention"),
        [_("First share in"), _("People")] + [f"M+{n}" for n in range(1, width)],
        note=_("Of the people whose first share was in month M, how many shared in M+1, M+2…"),
    )
    for month, size, row in grid:
        table.rows.append([month.strftime("%Y-%m"), size] + row[1:])
    return table


def points_for(*, filters: Filters) -> int:
    """The points of the person of `filters.ambassador_id`, which the caller fixes."""
    assert filters.ambassador_id is not None
    return (
        PointEntry.objects.filter(
            person_id=filters.ambassador_id,
            occurred_at__gte=filters.since,
            occurred_at__lt=filters.until,
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )
