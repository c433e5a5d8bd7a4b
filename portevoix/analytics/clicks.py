"""Click and conversion figures, read from the tracking counters (`ClickCount`), never from
raw clicks.

With no filter, or one filter and no breakdown, the counters of that dimension answer directly.
Filters that combine (campaign and group, say) have no counter of their own: the figures are
then the sum of the counters of the matching links (a link fixes post, ambassador, network and
campaign; groups are the ambassador's current groups). Unique visitors exist only for the
whole programme, a post or a campaign: elsewhere they are None ("not measured"), never made up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Sum

from portevoix.analytics.filters import Filters
from portevoix.tracking.models import ClickCount, TrackedLink
from portevoix.tracking.visitors import local_day

CLICK_PROPERTIES = ("raw", "verified", "repeat", "self", "bot", "visitors", "conversions")
VISITOR_DIMENSIONS = ("all", "post", "campaign")


def matching_links(*, filters: Filters) -> list[int]:
    links = TrackedLink.objects.all()
    if filters.campaign_id is not None:
        links = links.filter(post__campaign_id=filters.campaign_id)
    if filters.post_id is not None:
        links = links.filter(post_id=filters.post_id)
    if filters.network:
        links = links.filter(network=filters.network)
    if filters.ambassador_id is not None:
        links = links.filter(ambassador_id=filters.ambassador_id)
    if filters.group_id is not None:
        links = links.filter(ambassador__groups=filters.group_id)
    return list(links.values_list("pk", flat=True).distinct())


def _counts(*, filters: Filters):
    """Daily counters of the period narrowed to the filters: (queryset, dimension used)."""
    rows = ClickCount.objects.filter(
        frequency="day", start__gte=filters.since, start__lt=filters.until
    )
    wanted = filters.click_filters()
    if not wanted:
        return rows.filter(dimension="all", key=""), "all"
    if len(wanted) == 1:
        ((dimension, key),) = wanted.items()
        return rows.filter(dimension=dimension, key=key), dimension
    keys = [str(pk) for pk in matching_links(filters=filters)]
    return rows.filter(dimension="link", key__in=keys), "link"


def click_totals(*, filters: Filters) -> dict[str, int | None]:
    """raw, verified, repeat, self, bot, visitors (None when not measured), conversions."""
    rows, dimension = _counts(filters=filters)
    found = dict.fromkeys(CLICK_PROPERTIES, 0)
    for prop, total in (
        rows.values("property").annotate(t=Sum("value")).values_list("property", "t")
    ):
        found[prop] = total
    if dimension not in VISITOR_DIMENSIONS:
        found["visitors"] = None
    return found


def conversions_by_goal(*, filters: Filters) -> dict[str, int]:
    rows, _dimension = _counts(filters=filters)
    rows = rows.filter(property="conversions").values("subgroup").annotate(t=Sum("value"))
    return {row["subgroup"]: row["t"] for row in rows.order_by("subgroup")}


def period_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def periods(*, filters: Filters) -> list[date]:
    found, day = [], filters.start
    while day <= filters.end:
        start = period_start(day, filters.granularity)
        if not found or found[-1] != start:
            found.append(start)
        day += timedelta(days=1)
    return found


def click_series(*, filters: Filters) -> dict[date, dict[str, int]]:
    """Per period (day, week or month of the organisation's calendar): counts per property."""
    rows, _dimension = _counts(filters=filters)
    series: dict[date, dict[str, int]] = {
        start: dict.fromkeys(CLICK_PROPERTIES, 0) for start in periods(filters=filters)
    }
    values = rows.values("start", "property").annotate(t=Sum("value"))
    for start, prop, total in values.values_list("start", "property", "t"):
        series[period_start(local_day(start), filters.granularity)][prop] += total
    return series


BREAKDOWN_FIELDS = {
    "campaign": "post__campaign_id",
    "post": "post_id",
    "network": "network",
    "ambassador": "ambassador_id",
    "group": "ambassador__groups",
}


def click_breakdown(*, filters: Filters, by: str) -> dict[str, dict[str, int]]:
    """Counts per value of `by` (campaign, post, group, network, ambassador), as strings."""
    found: dict[str, dict[str, int]] = defaultdict(Counter)
    rows = ClickCount.objects.filter(
        frequency="day",
        start__gte=filters.since,
        start__lt=filters.until,
        property__in=("raw", "verified", "conversions"),
    )
    if not filters.click_filters():
        # Summed here rather than with GROUP BY: grouping makes SQLite walk the unique index
        # over every row of the dimension (all time) instead of the period's rows.
        for key, prop, total in rows.filter(dimension=by).values_list("key", "property", "value"):
            found[key][prop] += total
        return found
    links = TrackedLink.objects.filter(pk__in=matching_links(filters=filters))
    owner: dict[str, list[str]] = defaultdict(list)
    for pk, value in links.values_list("pk", BREAKDOWN_FIELDS[by]):
        if value is not None:
            owner[str(pk)].append(str(value))
    rows = rows.filter(dimension="link", key__in=list(owner)).values("key", "property")
    for key, prop, total in rows.annotate(t=Sum("value")).values_list("key", "property", "t"):
        for value in owner[key]:
            found[value][prop] += total
    return found
