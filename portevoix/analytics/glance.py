"""The first screen of the dashboard and of "my statistics": key figures as tiles with their
trend, the best posts and people, a campaign's goal.

Tiles are made from the same `Figure` lists as the key-figure table (one code path); the
previous period is the same list computed by the same functions with shifted dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.urls import reverse

from portevoix.accounts.models import Person
from portevoix.analytics import trends
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.filters import Filters
from portevoix.analytics.kinds import kind_definition, kind_label
from portevoix.analytics.share_figures import ShareFigures, shares_for
from portevoix.analytics.tables import visible_names
from portevoix.content.models import Campaign, CampaignGoal, Post
from portevoix.gamification import leaderboards
from portevoix.tracking.counters import Dimension, Property

TOP = 5
# The tiles of each page, in order: what tells a pilot team in five seconds whether the
# programme works (people taking part, what they shared, what it brought).
PROGRAMME_TILES = (
    "active",
    "participation",
    "shares",
    "verified",
    "conversions",
    "reach",
    "visitors",
    "emv",
)
PERSONAL_TILES = ("shares", "verified", "conversions", "reach", "points")


@dataclass(frozen=True)
class Tile:
    slug: str
    label: str
    value: object
    kind: str
    kind_label: str
    definition: str
    previous: object
    trend: trends.Trend | None


@dataclass(frozen=True)
class Ranked:
    """A post or a person of a top five, with the page that details it."""

    name: str
    url: str
    verified: int
    shares: int
    image_url: str = ""


@dataclass(frozen=True)
class GoalProgress:
    campaign: str
    url: str  # the campaign's page
    goal: str  # shares, clicks or conversions, in words
    reached: int
    target: int
    days_left: int | None  # None: the campaign has no end date, or it is over

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reached / self.target)) if self.target else 0


@dataclass
class Glance:
    compared: str  # the previous period, in words
    tiles: list[Tile]
    posts: list[Ranked] = field(default_factory=list)
    ambassadors: list[Ranked] = field(default_factory=list)
    goal: GoalProgress | None = None
    best_post: Ranked | None = None
    rank: int | None = None


def tiles(*, current: Iterable, previous: Iterable, slugs: Sequence[str]) -> list[Tile]:
    """Tiles of the figures named `slugs`, each with its trend against the previous period."""
    now = {figure.slug: figure for figure in current}
    before = {figure.slug: figure.value for figure in previous}
    return [
        Tile(
            slug=slug,
            label=now[slug].label,
            value=now[slug].value,
            kind=now[slug].kind,
            kind_label=kind_label(now[slug].kind),
            definition=kind_definition(now[slug].kind),
            previous=before.get(slug),
            trend=trends.trend(now[slug].value, before.get(slug)),
        )
        for slug in slugs
        if slug in now
    ]


def _post_images(ids: list[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for post in Post.objects.filter(pk__in=ids).only("pk", "title", "image", "preview_image_url"):
        found[post.pk] = (post.title, post.image.url if post.image else post.preview_image_url)
    return found


def _shares_of(filters: Filters, column: str, ids: list[int]) -> dict[int, int]:
    rows = shares_for(filters=filters).filter(**{f"{column}__in": ids})
    return dict(rows.values_list(column).annotate(n=Count("pk")).values_list(column, "n"))


def top_posts(
    *,
    filters: Filters,
    figures: ClickFigures,
    limit: int = TOP,
    url_name: str = "content:post_detail",
) -> list[Ranked]:
    """The posts with the most verified clicks, from the same ranking as the rankings page."""
    ranked = figures.top(Dimension.POST, limit)
    ids = [int(key) for key, _counts in ranked]
    posts, shares = _post_images(ids), _shares_of(filters, "post_id", ids)
    return [
        Ranked(
            name=posts[int(key)][0],
            url=reverse(url_name, args=[int(key)]),
            verified=counts.get(Property.VERIFIED, 0),
            shares=shares.get(int(key), 0),
            image_url=posts[int(key)][1],
        )
        for key, counts in ranked
        if int(key) in posts
    ]


def top_ambassadors(*, filters: Filters, figures: ClickFigures, limit: int = TOP) -> list[Ranked]:
    """People who hid from rankings never appear (the rankings page's rule)."""
    ranked = figures.top(Dimension.AMBASSADOR, limit, keep=visible_names)
    names = visible_names([key for key, _counts in ranked])
    shares = _shares_of(filters, "person_id", [int(key) for key in names])
    mine = reverse("analytics:mine")
    return [
        Ranked(
            name=names[key],
            url=f"{mine}?ambassador={key}",
            verified=counts.get(Property.VERIFIED, 0),
            shares=shares.get(int(key), 0),
        )
        for key, counts in ranked
        if key in names
    ]


def goal_progress(
    *, campaign_id: int, today: date, group_id: int | None = None
) -> GoalProgress | None:
    """How far the campaign is from its goal, over the whole campaign (not the period shown);
    with `group_id`, that group's part (the only part a scoped editor may count)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not campaign.goal_target:
        return None
    start = campaign.starts_on or campaign.created_at.date()
    end = min(campaign.ends_on or today, today)
    reached: int | None
    if end < start:
        reached = 0
    else:
        whole = Filters(start=start, end=end, campaign_id=campaign.pk, group_id=group_id)
        if campaign.goal == CampaignGoal.SHARES:
            reached = ShareFigures(whole).total
        else:
            totals = ClickFigures(whole).totals
            reached = totals[
                Property.VERIFIED if campaign.goal == CampaignGoal.CLICKS else Property.CONVERSIONS
            ]
    days_left = None
    if campaign.ends_on and campaign.ends_on >= today:
        days_left = (campaign.ends_on - today).days + 1  # today included
    return GoalProgress(
        campaign=campaign.name,
        url=reverse("content:campaign_detail", args=[campaign.pk]),
        goal=str(CampaignGoal(campaign.goal).label),
        reached=reached or 0,
        target=campaign.goal_target,
        days_left=days_left,
    )


def best_post(*, filters: Filters, figures: ClickFigures) -> Ranked | None:
    """A person's post with the most verified clicks, linked to its share page (a post's
    management page is the pilot team's)."""
    found = top_posts(filters=filters, figures=figures, limit=1, url_name="sharing:share")
    return found[0] if found and found[0].verified else None


def rank_in_rankings(person_id: int) -> int | None:
    """The person's rank on this month's leaderboard, None when they hid from rankings (they
    chose not to be compared) or earned no points."""
    person = Person.objects.get(pk=person_id)
    if person.hide_from_rankings:
        return None
    row = leaderboards.rank_of(person, period="month")
    return row.rank if row else None
