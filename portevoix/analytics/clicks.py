"""Click and conversion figures, read from the tracking counters (`ClickCount`), never from
raw clicks.

A period is read as whole organisation months (month counters) plus the days left over at
either end (day counters): a year is a dozen rows per key instead of 365. With no filter, or
one filter and no breakdown by another dimension, the counters of that dimension answer
directly; with only a network or only a group filter, so do the counters within that network
or group ("post@linkedin", "post@group:12") for the breakdowns by post, ambassador, campaign
and group or network; with a network and a group, the group's counters within the network
("group@linkedin") give the totals and the series. Other filters that combine (campaign and
group, say), or a breakdown within them (the posts of one campaign), have no counter of their
own: the figures are then the sums of the counters of the matching links, read once per page
(a link fixes post, ambassador, network and campaign; groups are then the ambassador's
current groups, where the group counters count the groups a click's ambassador was in when
it was counted). Unique visitors exist only for the whole programme, a post or a
campaign: elsewhere they are None ("not measured"), never made up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, cast

from django.db import connection
from django.db.models import Q, QuerySet

from portevoix.accounts.models import Network, Person
from portevoix.analytics.filters import Filters
from portevoix.tracking.models import ClickCount, TrackedLink
from portevoix.tracking.rollups import CROSSED, crossed
from portevoix.tracking.visitors import day_start, local_day

CLICK_PROPERTIES = ("raw", "verified", "repeat", "self", "bot", "visitors", "conversions")
# Properties whose subgroup is always empty: with `subgroup=""` a query uses every column of
# the counters' unique index (dimension, key, property, subgroup, frequency, start).
PLAIN_PROPERTIES = CLICK_PROPERTIES[:-1]
RANKED_PROPERTIES = ("raw", "verified", "conversions")
SERIES_PROPERTIES = RANKED_PROPERTIES
VISITOR_DIMENSIONS = ("all", "post", "campaign")
BREAKDOWNS = ("campaign", "post", "network", "ambassador", "group")
NETWORKS = tuple(Network.values)
OWNER_POSITION = {"post": 0, "ambassador": 1, "network": 2, "campaign": 3}  # in link_owners
# With a filter on the ranked keys (people hidden from rankings), how many candidates per place
# are ranked: enough for a full table unless nearly everyone hid.
KEEP_CANDIDATES = 20
# Up to this many matching links, their counters are looked up by key (one parameter each:
# within SQLite's 32,766 since 3.32); beyond, the period's rows of every link are read. Both
# cost about the same near 3,000 links on the benchmark's data (docs/metrics.md).
LINK_KEYS_MAX = 3000
Counts = dict[str, int]


@dataclass(frozen=True)
class Part:
    """A stretch of the period read from one frequency of counters."""

    frequency: str
    since: datetime
    until: datetime


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_parts(*, start: date, end: date) -> list[Part]:
    """The days from `start` to `end` (included) as whole months and leftover days."""
    after = end + timedelta(days=1)
    first = start if start.day == 1 else _next_month(start)
    stop = after.replace(day=1)
    if first >= stop:
        return [Part("day", day_start(start), day_start(after))]
    parts = [Part("month", day_start(first), day_start(stop))]
    if start < first:
        parts.insert(0, Part("day", day_start(start), day_start(first)))
    if stop < after:
        parts.append(Part("day", day_start(stop), day_start(after)))
    return parts


def period_start(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def periods(*, filters: Filters) -> list[date]:
    """The first days of the periods of the series. The first period starts on the period's
    first day, not on the Monday or the 1st before it: a row labelled with a day outside the
    period would read as counting days it does not."""
    found: list[date] = []
    day = filters.start
    while day <= filters.end:
        start = max(period_start(day, filters.granularity), filters.start)
        if not found or found[-1] != start:
            found.append(start)
        day += timedelta(days=1)
    return found


def matching_links(*, filters: Filters) -> QuerySet[TrackedLink]:
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
    return links


def _in_part(rows: QuerySet[ClickCount], part: Part) -> QuerySet[ClickCount]:
    return rows.filter(frequency=part.frequency, start__gte=part.since, start__lt=part.until)


def _in_parts(rows: list[QuerySet[ClickCount]], parts: list[Part], *fields: str) -> QuerySet:
    """`fields` of each of `rows` in every part, as one statement (UNION ALL): each part keeps
    its own index range, and a page makes one round trip instead of one per part."""
    selects = [_in_part(some, part).values_list(*fields) for some in rows for part in parts]
    return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]


class ClickFigures:
    """Every click figure of one page for one set of filters, each query made at most once."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self.parts = period_parts(start=filters.start, end=filters.end)
        self._kept: dict[tuple, Any] = {}  # rows and breakdowns, by what was asked
        wanted = filters.click_filters()
        self.counter: tuple[str, str] | None = ("all", "")
        if len(wanted) == 1:
            self.counter = next(iter(wanted.items()))
        elif set(wanted) == {"network", "group"}:
            # The group's counters within the network ("group@linkedin").
            self.counter = (crossed("group", "network", wanted["network"]), wanted["group"])
        elif wanted:
            self.counter = None

    # -- the counters of one dimension and key ------------------------------------------------

    def _key_rows(
        self, parts: list[Part], properties: tuple[str, ...] = PLAIN_PROPERTIES
    ) -> list[tuple[str, str, datetime, int]]:
        """(property, subgroup, start, value) of the counter's rows of `properties` and
        conversions in these parts (kept: the totals, the conversions and, by month, the series
        read the same rows)."""
        kept = ("key", tuple(parts), properties)
        if kept in self._kept:
            return self._kept[kept]
        assert self.counter is not None, "only a selection with counters has key rows"
        dimension, key = self.counter
        mine = ClickCount.objects.filter(dimension=dimension, key=key)
        fields = ("property", "subgroup", "start", "value")
        plain = mine.filter(property__in=properties, subgroup="")
        found = list(_in_parts([plain, mine.filter(property="conversions")], parts, *fields))
        self._kept[kept] = found
        return found

    # -- the counters of the matching links ---------------------------------------------------

    def _link_rows(
        self, parts: list[Part], properties: tuple[str, ...], *, with_start: bool
    ) -> list[tuple[int, str, str, datetime | None, int]]:
        """(link, property, goal, start or None, value) of the matching links' counters in
        `parts` (`start` only when asked: converting it costs more than reading the row).

        Up to LINK_KEYS_MAX links (a campaign and a group) are looked up by key in the
        unique index, every part and property in one statement (a link has few rows); more
        (a whole programme's worth) are read from the period's rows of every link, which the
        breakdown index holds, and kept when they match: the cheaper side each time."""
        kept = ("links", tuple(parts), properties, with_start)
        if kept in self._kept:
            return self._kept[kept]
        keys = self._link_keys
        fields: tuple[str, ...] = ("key", "property", "subgroup", "start", "value")
        if not with_start:
            fields = fields[:3] + fields[4:]
        if len(keys) <= LINK_KEYS_MAX:
            period = Q()
            for part in parts:
                period |= Q(frequency=part.frequency, start__gte=part.since, start__lt=part.until)
            # Plain properties have no subgroup, conversions one per goal. Written as an OR,
            # which the breakdown index cannot serve: SQLite would otherwise walk a whole
            # year of every link's rows there rather than seek each key in the unique index.
            wanted = Q(property__in=[p for p in properties if p != "conversions"], subgroup="")
            if "conversions" in properties:
                wanted |= Q(property="conversions")
            selected = [
                ClickCount.objects.filter(wanted, period, dimension="link", key__in=list(keys))
            ]
        else:
            rows = ClickCount.objects.filter(dimension="link", property__in=properties)
            selected = [_in_part(rows, part) for part in parts]
        found: list[tuple[int, str, str, datetime | None, int]] = []
        for rows in selected:
            found += [
                (int(row[0]), row[1], row[2], row[3] if with_start else None, row[-1])
                for row in rows.values_list(*fields)
                if row[0] in keys
            ]
        self._kept[kept] = found
        return found

    @cached_property
    def link_counts(self) -> dict[int, Counter]:
        """Per matching link with clicks in the period: raw and verified clicks and
        conversions (and `goal:<goal>`), summed: what the totals of filters that combine and
        the breakdowns show. Repeats, self-clicks and bots are not read for links: no page
        shows them, and they would double the rows looked up."""
        found: dict[int, Counter] = defaultdict(Counter)
        rows = self._link_rows(self.parts, RANKED_PROPERTIES, with_start=False)
        for link, prop, goal, _start, value in rows:
            counts = found[link]
            counts[prop] += value
            if prop == "conversions":
                counts[f"goal:{goal}"] += value
        return found

    @cached_property
    def _matching_links(self) -> dict[int, tuple[str, str, str, str | None]]:
        """Every link the filters match, with its (post, ambassador, network, campaign) as
        counter keys: one query, which also tells which link counters to read."""
        fields = ("pk", "post_id", "ambassador_id", "network", "post__campaign_id")
        return {
            pk: (str(post), str(person), network, None if campaign is None else str(campaign))
            for pk, post, person, network, campaign in matching_links(
                filters=self.filters
            ).values_list(*fields)
        }

    @cached_property
    def _link_keys(self) -> set[str]:
        return {str(pk) for pk in self._matching_links}

    @property
    def link_owners(self) -> dict[int, tuple[str, str, str, str | None]]:
        """For each matching link: (post, ambassador, network, campaign) as keys."""
        return self._matching_links

    @cached_property
    def groups_of(self) -> dict[str, list[str]]:
        """The current groups of the links' ambassadors, as keys."""
        people = {owner[1] for owner in self.link_owners.values()}
        memberships = Person.groups.through.objects.values_list("person_id", "group_id")
        if len(people) <= LINK_KEYS_MAX:
            memberships = memberships.filter(person_id__in=[int(pk) for pk in people])
        found: dict[str, list[str]] = defaultdict(list)
        for person, group in memberships:
            found[str(person)].append(str(group))
        return found

    # -- figures ------------------------------------------------------------------------------

    @cached_property
    def totals(self) -> dict[str, int | None]:
        """raw, verified, repeat, self, bot, visitors, conversions; None when not measured for
        this selection (visitors beyond the programme, a post or a campaign; repeats,
        self-clicks and bots for filters that combine)."""
        counted = dict.fromkeys(CLICK_PROPERTIES, 0)
        if self.counter is not None:
            for prop, _subgroup, _start, value in self._key_rows(self.parts):
                counted[prop] += value
            found: dict[str, int | None] = {**counted}
            if self.counter[0] not in VISITOR_DIMENSIONS:
                found["visitors"] = None
            if "@" in self.counter[0]:  # counters within a network: what breakdowns show
                found.update(dict.fromkeys(("repeat", "self", "bot"), None))
            return found
        for counts in self.link_counts.values():
            for prop in RANKED_PROPERTIES:
                counted[prop] += counts[prop]
        found = {**counted}
        for prop in ("repeat", "self", "bot", "visitors"):
            found[prop] = None
        return found

    def conversions_by_goal(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        if self.counter is not None:
            for prop, subgroup, _start, value in self._key_rows(self.parts):
                if prop == "conversions":
                    found[subgroup] += value
        else:
            for counts in self.link_counts.values():
                for name, value in counts.items():
                    if name.startswith("goal:"):
                        found[name[5:]] += value
        return dict(sorted(found.items()))

    def series(self) -> dict[date, dict[str, int]]:
        """Per period (day, week or month of the organisation's calendar): raw and verified
        clicks and conversions (what the series shows). By month, whole months come from the
        month counters (the rows the totals read); otherwise from the days, and only the
        properties shown: a year by week is hundreds of day rows per property."""
        granularity = self.filters.granularity
        parts = self.parts
        if granularity != "month":
            parts = [Part("day", self.filters.since, self.filters.until)]
        series: dict[date, dict[str, int]] = {
            start: dict.fromkeys(SERIES_PROPERTIES, 0) for start in periods(filters=self.filters)
        }
        if self.counter is not None:
            # By month the totals' rows already read; by day or week only raw and verified
            # (conversions always come with them).
            shown = PLAIN_PROPERTIES if parts == self.parts else ("raw", "verified")
            rows = [
                (p, s, v) for p, _g, s, v in self._key_rows(parts, shown) if p in SERIES_PROPERTIES
            ]
        else:
            # Asked with their start: none is None.
            rows = cast(
                list[tuple[str, datetime, int]],
                [
                    (prop, start, value)
                    for _link, prop, _goal, start, value in self._link_rows(
                        parts, SERIES_PROPERTIES, with_start=True
                    )
                ],
            )
        bucket: dict[datetime, date] = {}  # a few hundred distinct starts among many rows
        for prop, start, value in rows:
            if start not in bucket:
                bucket[start] = max(period_start(local_day(start), granularity), self.filters.start)
            series[bucket[start]][prop] += value
        return series

    def breakdown(self, by: str) -> dict[str, Counts]:
        """Counts per value of `by` (campaign, post, group, network, ambassador), as strings.
        Kept: a page's tables ask for the same breakdown more than once."""
        if ("breakdown", by) not in self._kept:
            self._kept[("breakdown", by)] = self._breakdown(by)
        return self._kept[("breakdown", by)]

    def verified_by_network(self) -> dict[str, int]:
        """Verified clicks per network: what reach ratios and media value are priced on."""
        return {net: c.get("verified", 0) for net, c in self.breakdown("network").items()}

    def _counters_of(self, by: str) -> str | None:
        """The dimension whose counters break this page's clicks down by `by`: `by` itself
        without filters, `by` within the network or group with only a network or a group
        filter; None when the matching links' counters must be summed instead."""
        if self.counter == ("all", ""):
            return by
        if self.counter is not None and by in CROSSED.get(self.counter[0], ()):
            return crossed(by, *self.counter)
        return None

    def _breakdown(self, by: str) -> dict[str, Counts]:
        found: dict[str, Counts] = defaultdict(Counter)
        dimension = self._counters_of(by)
        if dimension is not None:
            rows = ClickCount.objects.filter(dimension=dimension, property__in=RANKED_PROPERTIES)
            for key, prop, value in _in_parts([rows], self.parts, "key", "property", "value"):
                found[key][prop] += value
            return found
        own = self.filters.click_filters()
        if self.counter is not None and by in own:
            # Broken down by one of its own filters: one value, the page's totals.
            found[own[by]] = {p: self.totals[p] or 0 for p in RANKED_PROPERTIES}
            return found
        if self.counter is not None and (self.counter[0], by) == ("group", "network"):
            # One group per network is what the counters within each network hold already
            # ("group@linkedin" of that group): no counter of networks within a group.
            group, within = self.counter[1], {crossed("group", "network", n): n for n in NETWORKS}
            rows = ClickCount.objects.filter(
                dimension__in=list(within), key=group, property__in=RANKED_PROPERTIES
            )
            fields = ("dimension", "property", "value")
            for dimension, prop, value in _in_parts([rows], self.parts, *fields):
                found[within[dimension]][prop] += value
            return found
        owners, position = self.link_owners, OWNER_POSITION.get(by)
        groups = self.groups_of if by == "group" else {}
        for pk, counts in self.link_counts.items():
            owner = owners.get(pk)
            if owner is None:
                continue  # deleted since
            values: Collection[str]
            if position is None:
                values = groups.get(owner[1], ())
            else:
                owner_key = owner[position]
                values = () if owner_key is None else (owner_key,)
            for value in values:
                for prop in RANKED_PROPERTIES:
                    found[value][prop] += counts[prop]
        return found

    def _ranked(
        self, dimension: str, properties: tuple[str, ...], limit: int
    ) -> list[tuple[str, int]]:
        """(key, verified clicks) of the `limit` best keys of `dimension` with rows of
        `properties`, in one statement over the parts (UNION ALL), each part read from the
        index alone."""
        selects = [
            _in_part(ClickCount.objects.filter(dimension=dimension, property__in=properties), part)
            .values_list("key", "property", "value")
            .query.sql_with_params()
            for part in self.parts
        ]
        key = 'CAST(u."key" AS INTEGER)'
        with connection.cursor() as cursor:
            # Grouped on the key as a number (posts and people have numeric keys), not on the
            # column: on the column SQLite would walk the unique index in key order over all
            # time rather than the period's rows; and numbers sort quicker than text. Ties
            # still go by the key as text, as in every breakdown.
            cursor.execute(
                f"SELECT {key} AS k, "
                "SUM(CASE WHEN u.property = %s THEN u.value ELSE 0 END) AS total FROM ("
                + " UNION ALL ".join(sql for sql, _params in selects)
                + f") u GROUP BY 1 ORDER BY total DESC, CAST({key} AS TEXT) LIMIT %s",
                ["verified"] + [value for _sql, params in selects for value in params] + [limit],
            )
            return [(str(found), total) for found, total in cursor.fetchall()]

    def top(
        self, by: str, limit: int, *, keep: Callable[[list[str]], Collection[str]] | None = None
    ) -> list[tuple[str, Counts]]:
        """The `limit` keys of `by` with the most verified clicks (then by key), with their
        raw clicks and conversions; with `keep`, only keys it returns among those offered (the
        people who did not hide from rankings). When counters break the page down by `by` (no
        filter, or only a network), the database ranks them, from the index that holds key and
        value, so thousands of posts are never brought back."""
        dimension = self._counters_of(by)
        if dimension is None:
            counts = self.breakdown(by)
            ranked = sorted(counts.items(), key=lambda item: (-item[1].get("verified", 0), item[0]))
            if keep is not None:
                kept = keep([key for key, _counts in ranked[: limit * KEEP_CANDIDATES]])
                ranked = [item for item in ranked if item[0] in kept]
            return ranked[:limit]
        # Ranked on verified clicks alone (half the rows); raw clicks are read for the winners.
        # Only when fewer keys than asked have verified clicks are raw clicks ranked too, so
        # that a post with clicks but none verified still shows (last), as in a breakdown.
        wanted = limit if keep is None else limit * KEEP_CANDIDATES
        best = self._ranked(dimension, ("verified",), wanted)
        if len(best) < wanted:
            best = self._ranked(dimension, ("verified", "raw"), wanted)
        if keep is not None:
            kept = keep([key for key, _verified in best])
            best = [(key, verified) for key, verified in best if key in kept]
        found: dict[str, Counts] = {
            key: {"verified": verified, "raw": 0, "conversions": 0}
            for key, verified in best[:limit]
        }
        if not found:
            return []
        raw = ClickCount.objects.filter(
            dimension=dimension, key__in=list(found), property="raw", subgroup=""
        )
        for key, value in _in_parts([raw], self.parts, "key", "value"):
            found[key]["raw"] += value
        if not self.totals["conversions"]:
            return list(found.items())
        conversions = ClickCount.objects.filter(
            dimension=dimension, key__in=list(found), property="conversions"
        )
        for key, value in _in_parts([conversions], self.parts, "key", "value"):
            found[key]["conversions"] += value
        return list(found.items())


def click_totals(*, filters: Filters) -> dict[str, int | None]:
    return ClickFigures(filters).totals


def conversions_by_goal(*, filters: Filters) -> dict[str, int]:
    return ClickFigures(filters).conversions_by_goal()


def click_series(*, filters: Filters) -> dict[date, dict[str, int]]:
    return ClickFigures(filters).series()


def click_breakdown(*, filters: Filters, by: str) -> dict[str, Counts]:
    return ClickFigures(filters).breakdown(by)
