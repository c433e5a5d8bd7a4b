"""Reads of counters named by dimension (and key): the totals of one key, a breakdown from a
dimension's own counters, and the ranking the database does from the breakdown index."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from django.db import connection

from portevoix.analytics.click_figures.periods import Part, in_part, in_parts
from portevoix.analytics.click_figures.settled import (
    ranking_merged,
    settled_and_live,
    settled_kept,
    settled_sums,
)
from portevoix.tracking.counters import PLAIN_PROPERTIES, Dimension, Property, crossed
from portevoix.tracking.models import ClickCount

# What breakdowns and rankings show (and what the counters within a network or group hold).
RANKED_PROPERTIES = (Property.RAW, Property.VERIFIED, Property.CONVERSIONS)
Counts = dict[str, int]


def key_rows(
    counter: tuple[str, str], parts: list[Part], properties: tuple[str, ...] = PLAIN_PROPERTIES
) -> list[tuple[str, str, datetime, int]]:
    """(property, subgroup, start, value) of one key's rows of `properties` and of its
    conversions in these parts. With `subgroup=""` the plain properties' query uses every
    column of the counters' unique index (dimension, key, property, subgroup, frequency,
    start)."""
    dimension, key = counter
    mine = ClickCount.objects.filter(dimension=dimension, key=key)
    fields = ("property", "subgroup", "start", "value")
    plain = mine.filter(property__in=properties, subgroup="")
    conversions = mine.filter(property=Property.CONVERSIONS)
    return list(in_parts([plain, conversions], parts, *fields))


def dimension_breakdown(dimension: str, parts: list[Part]) -> dict[str, Counts]:
    """Per key of `dimension`: raw and verified clicks and conversions in these parts."""
    found: dict[str, Counts] = defaultdict(Counter)
    rows = ClickCount.objects.filter(dimension=dimension, property__in=RANKED_PROPERTIES)
    for key, prop, value in in_parts([rows], parts, "key", "property", "value"):
        found[key][prop] += value
    return found


def networks_of_group(
    group: str, networks: tuple[str, ...], parts: list[Part]
) -> dict[str, Counts]:
    """Per network: the group's raw and verified clicks and conversions, from the group's
    counters within each network ("group@linkedin")."""
    found: dict[str, Counts] = defaultdict(Counter)
    within = {crossed(Dimension.GROUP, Dimension.NETWORK, n): n for n in networks}
    rows = ClickCount.objects.filter(
        dimension__in=list(within), key=group, property__in=RANKED_PROPERTIES
    )
    fields = ("dimension", "property", "value")
    for dimension, prop, value in in_parts([rows], parts, *fields):
        found[within[dimension]][prop] += value
    return found


def ranked(
    dimension: str, parts: list[Part], properties: tuple[str, ...], limit: int
) -> list[tuple[str, int]]:
    """(key, verified clicks) of the `limit` best keys of `dimension` with rows of
    `properties`, in one statement over the parts (UNION ALL), each part read from the
    index `count_by_period_key` alone: ten posts come back, not five thousand. When the
    dashboard keeps tables, the sums of the settled days are kept between loads and only
    the days since are read (settled.py)."""
    before, since = settled_and_live(parts)
    if before:
        kept = settled_kept(
            (dimension, properties),
            before,
            lambda: settled_sums(dict(_verified_sums(dimension, before, properties, None))),
        )
        live = dict(_verified_sums(dimension, since, properties, None)) if since else {}
        return ranking_merged(kept, live, limit)
    return [(str(key), total) for key, total in _verified_sums(dimension, parts, properties, limit)]


def _verified_sums(
    dimension: str, parts: list[Part], properties: tuple[str, ...], limit: int | None
) -> list[tuple[int, int]]:
    """(key, verified clicks) of the keys of `dimension` with rows of `properties` in these
    parts: the `limit` best, or with None all of them, in no order."""
    selects = [
        in_part(ClickCount.objects.filter(dimension=dimension, property__in=properties), part)
        .values_list("key", "property", "value")
        .query.sql_with_params()
        for part in parts
    ]
    key = 'CAST(u."key" AS INTEGER)'
    # Grouped on the key as a number (posts and people have numeric keys), not on the
    # column: on the column SQLite would walk the unique index in key order over all time
    # rather than the period's rows; and numbers sort quicker than text (about a sixth
    # quicker on SQLite, docs/metrics.md). Ties still go by the key as text, as in every
    # breakdown.
    sql = (
        f"SELECT {key} AS k, "
        "SUM(CASE WHEN u.property = %s THEN u.value ELSE 0 END) AS total FROM ("
        + " UNION ALL ".join(sql for sql, _params in selects)
        + ") u GROUP BY 1"
    )
    params: list = [Property.VERIFIED] + [value for _sql, found in selects for value in found]
    if limit is not None:
        sql += f" ORDER BY total DESC, CAST({key} AS TEXT) LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def keys_sum(dimension: str, keys: list[str], prop: str, parts: list[Part]) -> Counter[str]:
    """Per one of `keys`: the sum of `prop` in these parts (the raw clicks or conversions of
    the keys a ranking kept)."""
    rows = ClickCount.objects.filter(dimension=dimension, key__in=keys, property=prop)
    if prop != Property.CONVERSIONS:
        rows = rows.filter(subgroup="")
    found: Counter[str] = Counter()
    for key, value in in_parts([rows], parts, "key", "value"):
        found[key] += value
    return found
