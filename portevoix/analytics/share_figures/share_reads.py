"""The route of a campaign or a post filter, which the share activity does not know: the
period's shares themselves, read from the indexes `share_period_covering` (created_at,
person, network, post) and, for a group's people, `share_person_covering`, which hold every
column these queries need. Also the shares per period of a group's or one person's page."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db import connection
from django.db.models import QuerySet

from portevoix.accounts.models import NetworkAccount
from portevoix.analytics.filters import Filters
from portevoix.analytics.share_figures.raw_rows import fetch
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import day_start, local_day


def shares_for(*, filters: Filters) -> QuerySet[Share]:
    # No ordering: the model's default (newest first) would join every GROUP BY and DISTINCT.
    shares = Share.objects.filter(
        created_at__gte=filters.since, created_at__lt=filters.until
    ).order_by()
    if filters.campaign_id is not None:
        shares = shares.filter(post__campaign_id=filters.campaign_id)
    if filters.post_id is not None:
        shares = shares.filter(post_id=filters.post_id)
    if filters.network:
        shares = shares.filter(network=filters.network)
    if filters.ambassador_id is not None:
        shares = shares.filter(person_id=filters.ambassador_id)
    if filters.group_id is not None:
        shares = shares.filter(person__groups=filters.group_id)
    return shares


def bucket_sql(column: str, starts: list[date]) -> tuple[str, list]:
    """SQL expression and its parameters: the index of the period (organisation days from
    `starts[i]` to `starts[i+1]`) the instant in `column` falls in, -2 before the first. Plain
    comparisons, so the database compares instants instead of converting every row to local
    time, nested as a binary search (a year by week is 6 comparisons a share, not 26 on
    average). Written by hand: the ORM took longer to compile 53 nested cases than the
    database took to run them (14–19 ms, docs/metrics.md)."""
    edges = [connection.ops.adapt_datetimefield_value(day_start(start)) for start in starts]

    def search(low: int, high: int, below: int) -> tuple[str, list]:
        """The last of `edges[low:high]` the instant is at or after, else `below`."""
        if low >= high:
            return str(below), []
        middle = (low + high) // 2
        after, after_params = search(middle + 1, high, middle)
        before, before_params = search(low, middle, below)
        return (
            f"CASE WHEN {column} >= %s THEN {after} ELSE {before} END",
            [edges[middle], *after_params, *before_params],
        )

    return search(0, len(edges), -2)


def share_counts(filters: Filters, starts: list[date]) -> dict[tuple[str, int], int]:
    """(network, index of the series period) → shares, counted by the database."""
    shares, params = (
        shares_for(filters=filters).values_list("network", "created_at").query.sql_with_params()
    )
    bucket, bucket_params = bucket_sql("u.created_at", starts)
    rows = fetch(
        f"SELECT u.network, {bucket}, COUNT(*) FROM ({shares}) u GROUP BY 1, 2",
        [*bucket_params, *params],
    )
    return {(network, bucket): n for network, bucket, n in rows}


def people_days(filters: Filters) -> dict[int, int]:
    """Person → bitmap of the days of the period on which they shared, bit 0 = the period's
    first day."""
    first = filters.start.toordinal()
    found: dict[int, int] = defaultdict(int)
    rows = shares_for(filters=filters).exclude(person=None)
    for person, at in rows.values_list("person_id", "created_at"):
        found[person] |= 1 << (local_day(at).toordinal() - first)
    return found


def reach(filters: Filters) -> dict[str, int]:
    """Per network: the followers of the people who shared there in the period."""
    pairs = set(
        shares_for(filters=filters)
        .exclude(person=None)
        .values_list("person_id", "network")
        .distinct()
    )
    people_ids = {person for person, _network in pairs}
    accounts = NetworkAccount.objects.filter(person_id__in=people_ids)
    found: Counter[str] = Counter()
    for person, network, followers in accounts.values_list("person_id", "network", "followers"):
        if (person, network) in pairs:
            found[network] += followers
    return dict(sorted(found.items()))
