"""`ClickFigures`: every click figure of one page, read along the page's route (routes.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from datetime import date, datetime
from functools import cached_property
from typing import cast

from portevoix.accounts.models import Network
from portevoix.analytics.click_figures import key_counters, links
from portevoix.analytics.click_figures.key_counters import RANKED_PROPERTIES, Counts
from portevoix.analytics.click_figures.periods import Part, period_parts, period_start, periods
from portevoix.analytics.click_figures.routes import (
    COUNTERS,
    NETWORKS_OF_GROUP,
    OWN_FILTER,
    route_for,
)
from portevoix.analytics.filters import Filters
from portevoix.analytics.periods import previous_filters
from portevoix.tracking.counters import (
    PLAIN_PROPERTIES,
    PROPERTIES,
    VISITOR_DIMENSIONS,
    Dimension,
    Frequency,
    Property,
    is_crossed,
)
from portevoix.tracking.visitors import local_day

SERIES_PROPERTIES = RANKED_PROPERTIES
# Not read for filters that combine (links), nor kept within a network or group.
KINDS_APART = (Property.REPEAT, Property.SELF, Property.BOT, Property.SCANNER)
NETWORKS = tuple(Network.values)
# With a filter on the ranked keys (people hidden from rankings), how many candidates per place
# are ranked: enough for a full table unless nearly everyone hid.
KEEP_CANDIDATES = 20


class ClickFigures:
    """Every click figure of one page for one set of filters, each query made at most once."""

    def __init__(
        self,
        filters: Filters,
        *,
        link_keys_max: int = links.LINK_KEYS_MAX,
        link_owners: links.LinkOwners | None = None,
    ) -> None:
        self.filters = filters
        self.parts = period_parts(start=filters.start, end=filters.end)
        self.route = route_for(filters)
        self.counter = self.route.counter
        self.links = links.MatchingLinks(
            filters, self.parts, keys_max=link_keys_max, owners=link_owners
        )
        self._kept: dict[tuple, list] = {}
        self._breakdowns: dict[str, dict[str, Counts]] = {}

    def previous(self) -> ClickFigures:
        """The same figures over the previous period of the same length (same filters, dates
        shifted): the matching links, which the dates do not change, are found once for both
        (a campaign and a group: 40 ms at 100M clicks, docs/metrics.md)."""
        return ClickFigures(
            previous_filters(self.filters),
            link_keys_max=self.links.keys_max,
            link_owners=self.links.link_owners,
        )

    def _key_rows(
        self, parts: list[Part], properties: tuple[str, ...] = PLAIN_PROPERTIES
    ) -> list[tuple[str, str, datetime, int]]:
        """The route's counter rows (key_counters.key_rows), kept: the totals, the
        conversions and, by month, the series read the same rows."""
        assert self.counter is not None
        kept = (tuple(parts), properties)
        if kept not in self._kept:
            self._kept[kept] = key_counters.key_rows(self.counter, parts, properties)
        return self._kept[kept]

    @property
    def link_counts(self) -> dict[int, Counter]:
        """Per matching link with clicks in the period: raw, verified, conversions."""
        return self.links.counts

    @cached_property
    def totals(self) -> dict[str, int | None]:
        """raw, verified, repeat, self, bot, scanner, visitors, conversions; None when not measured for
        this selection (visitors beyond the programme, a post or a campaign; repeats,
        self-clicks and bots for filters that combine)."""
        counted = dict.fromkeys(PROPERTIES, 0)
        if self.counter is not None:
            for prop, _subgroup, _start, value in self._key_rows(self.parts):
                counted[prop] += value
            found: dict[str, int | None] = {**counted}
            if self.counter[0] not in VISITOR_DIMENSIONS:
                found[Property.VISITORS] = None
            if is_crossed(self.counter[0]):  # counters within a network: what breakdowns show
                found.update(dict.fromkeys(KINDS_APART, None))
            return found
        for counts in self.link_counts.values():
            for prop in RANKED_PROPERTIES:
                counted[prop] += counts[prop]
        found = {**counted}
        for prop in (*KINDS_APART, Property.VISITORS):
            found[prop] = None
        return found

    def conversions_by_goal(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        if self.counter is not None:
            for prop, subgroup, _start, value in self._key_rows(self.parts):
                if prop == Property.CONVERSIONS:
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
            parts = [Part(Frequency.DAY, self.filters.since, self.filters.until)]
        series: dict[date, dict[str, int]] = {
            start: dict.fromkeys(SERIES_PROPERTIES, 0) for start in periods(filters=self.filters)
        }
        if self.counter is not None:
            # By month the totals' rows already read; by day or week only raw and verified
            # (conversions always come with them).
            shown = PLAIN_PROPERTIES if parts == self.parts else (Property.RAW, Property.VERIFIED)
            rows = [
                (p, s, v) for p, _g, s, v in self._key_rows(parts, shown) if p in SERIES_PROPERTIES
            ]
        else:
            # Asked with their start: none is None.
            rows = cast(
                list[tuple[str, datetime, int]],
                [
                    (prop, start, value)
                    for _link, prop, _goal, start, value in self.links.rows(
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
        if by not in self._breakdowns:
            self._breakdowns[by] = self._breakdown(by)
        return self._breakdowns[by]

    def verified_by_network(self) -> dict[str, int]:
        """Verified clicks per network: what reach ratios and media value are priced on."""
        return {
            net: c.get(Property.VERIFIED, 0) for net, c in self.breakdown(Dimension.NETWORK).items()
        }

    def _breakdown(self, by: str) -> dict[str, Counts]:
        source = self.route.source(by)
        if source.name == COUNTERS:
            assert source.dimension is not None
            return key_counters.dimension_breakdown(source.dimension, self.parts)
        if source.name == OWN_FILTER:
            found: dict[str, Counts] = defaultdict(Counter)
            found[self.route.own[by]] = {p: self.totals[p] or 0 for p in RANKED_PROPERTIES}
            return found
        if source.name == NETWORKS_OF_GROUP:
            assert self.counter is not None
            return key_counters.networks_of_group(self.counter[1], NETWORKS, self.parts)
        return self.links.breakdown(by)

    def top(
        self, by: str, limit: int, *, keep: Callable[[list[str]], Collection[str]] | None = None
    ) -> list[tuple[str, Counts]]:
        """The `limit` keys of `by` with the most verified clicks (then by key), with their
        raw clicks and conversions; with `keep`, only keys it returns among those offered (the
        people who did not hide from rankings). When counters break the page down by `by` (no
        filter, or only a network or a group), the database ranks them, from the index that
        holds key and value, so thousands of posts are never brought back."""
        source = self.route.source(by)
        if source.name != COUNTERS:
            counts = self.breakdown(by)
            ranked = sorted(
                counts.items(), key=lambda item: (-item[1].get(Property.VERIFIED, 0), item[0])
            )
            if keep is not None:
                kept = keep([key for key, _counts in ranked[: limit * KEEP_CANDIDATES]])
                ranked = [item for item in ranked if item[0] in kept]
            return ranked[:limit]
        dimension = source.dimension
        assert dimension is not None
        # Ranked on verified clicks alone (half the rows); raw clicks are read for the winners.
        # Only when fewer keys than asked have verified clicks are raw clicks ranked too, so
        # that a post with clicks but none verified still shows (last), as in a breakdown.
        wanted = limit if keep is None else limit * KEEP_CANDIDATES
        best = key_counters.ranked(dimension, self.parts, (Property.VERIFIED,), wanted)
        if len(best) < wanted:
            best = key_counters.ranked(
                dimension, self.parts, (Property.VERIFIED, Property.RAW), wanted
            )
        if keep is not None:
            kept = keep([key for key, _verified in best])
            best = [(key, verified) for key, verified in best if key in kept]
        found: dict[str, Counts] = {
            key: {Property.VERIFIED: verified, Property.RAW: 0, Property.CONVERSIONS: 0}
            for key, verified in best[:limit]
        }
        if not found:
            return []
        raw = key_counters.keys_sum(dimension, list(found), Property.RAW, self.parts)
        for key, value in raw.items():
            found[key][Property.RAW] += value
        if not self.totals[Property.CONVERSIONS]:
            return list(found.items())
        conversions = key_counters.keys_sum(
            dimension, list(found), Property.CONVERSIONS, self.parts
        )
        for key, value in conversions.items():
            found[key][Property.CONVERSIONS] += value
        return list(found.items())
