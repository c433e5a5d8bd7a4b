"""The route of filters that combine (campaign and group, say) and of breakdowns within a
filter (the posts of one campaign): no counter of their own, so the counters of the matching
links are summed (a link fixes post, ambassador, network and campaign; the group is the
ambassador's current group, where the group counters count the groups a click's ambassador
was in when it was counted)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import datetime
from functools import cached_property

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from portevoix.accounts.models import Person
from portevoix.analytics.click_figures.key_counters import RANKED_PROPERTIES, Counts
from portevoix.analytics.click_figures.periods import Part
from portevoix.analytics.click_figures.settled import settled_and_live, settled_kept
from portevoix.analytics.filters import Filters
from portevoix.tracking.counters import Dimension, Property
from portevoix.tracking.models import ClickCount, TrackedLink

# Up to this many matching links, their counters are looked up by key (one parameter each:
# within SQLite's 32,766 since 3.32); beyond, they are named by a subquery of the matching
# links, which the database joins to the same index (docs/metrics.md, "Ten times the data").
LINK_KEYS_MAX = 3000
# Where each dimension sits in a link's owners (post, ambassador, network, campaign).
OWNER_POSITION = {
    Dimension.POST: 0,
    Dimension.AMBASSADOR: 1,
    Dimension.NETWORK: 2,
    Dimension.CAMPAIGN: 3,
}
LinkRow = tuple[int, str, str, datetime | None, int]  # link, property, goal, start, value
# Links a page keeps across ingestion batches (dashboard.py `PageKept`), at most: about 150
# bytes each in the cache. More are found again at each load.
LINK_OWNERS_KEPT_MAX = 50_000


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
        # The group's members by their memberships alone: joining through the people's table
        # read every person (31–38 → 25–28 ms for 7,250 links of 4,999 members at 100M
        # clicks, docs/metrics.md).
        members = Person.groups.through.objects.filter(group_id=filters.group_id)
        links = links.filter(ambassador_id__in=members.values("person_id"))
    return links


class LinkOwners:
    """Every link some filters match, with its (post, ambassador, network, campaign) as
    counter keys, found on first need: one query, which also tells which link counters to
    read. The dates play no part: a period and the previous one share it. Ingestion does not
    change it: a page keeps it across batches, and a link created or deleted, a person's
    groups or a post's campaign changed make the page find it again (analytics/receivers.py)."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        if len(state.get("found", ())) > LINK_OWNERS_KEPT_MAX:
            del state["found"]  # kept without them: found again at the next load
        return state

    @cached_property
    def found(self) -> dict[int, tuple[str, str, str, str | None]]:
        fields = ("pk", "post_id", "ambassador_id", "network", "post__campaign_id")
        return {
            pk: (str(post), str(person), network, None if campaign is None else str(campaign))
            for pk, post, person, network, campaign in matching_links(
                filters=self.filters
            ).values_list(*fields)
        }


class MatchingLinks:
    """The links one page's filters match and their counters, each query made at most once.
    `owners`: the links of the same filters over another period, when already at hand."""

    def __init__(
        self,
        filters: Filters,
        parts: list[Part],
        *,
        keys_max: int = LINK_KEYS_MAX,
        owners: LinkOwners | None = None,
    ) -> None:
        self.filters = filters
        self.parts = parts
        self.keys_max = keys_max  # up to it, links are looked up by key (see rows())
        self.link_owners = owners or LinkOwners(filters)
        self._kept: dict[tuple, list[LinkRow]] = {}

    @property
    def owners(self) -> dict[int, tuple[str, str, str, str | None]]:
        """Every link the filters match, with its (post, ambassador, network, campaign)."""
        return self.link_owners.found

    @cached_property
    def keys(self) -> set[str]:
        return {str(pk) for pk in self.owners}

    def rows(
        self, parts: list[Part], properties: tuple[str, ...], *, with_start: bool
    ) -> list[LinkRow]:
        """(link, property, goal, start or None, value) of the matching links' counters in
        `parts` (`start` only when asked: converting it costs more than reading the row).

        The links are looked up by key in the unique index, every part and property in one
        statement (a link has few rows): up to LINK_KEYS_MAX of them (a campaign and a group)
        named one by one, more (a network and a group) named by a subquery."""
        kept = (tuple(parts), properties, with_start)
        if kept in self._kept:
            return self._kept[kept]
        keys = self.keys
        fields: tuple[str, ...] = ("key", "property", "subgroup", "start", "value")
        if not with_start:
            fields = fields[:3] + fields[4:]
        period = Q()
        for part in parts:
            period |= Q(frequency=part.frequency, start__gte=part.since, start__lt=part.until)
        # Plain properties have no subgroup, conversions one per goal. Written as an OR,
        # which the breakdown index cannot serve: SQLite would otherwise walk a whole year of
        # every link's rows there rather than seek each key in the unique index.
        plain = [p for p in properties if p != Property.CONVERSIONS]
        wanted = Q(property__in=plain, subgroup="")
        if Property.CONVERSIONS in properties:
            wanted |= Q(property=Property.CONVERSIONS)
        # Up to LINK_KEYS_MAX links are named one parameter each; more by a subquery of the
        # matching links, which the database joins to the unique index. Reading the period's
        # rows of every link and keeping the matching ones here, as before, was a scan of the
        # whole table at 100M clicks: 2.4 s for a network and a group, where 7,250 of a
        # million links match (docs/metrics.md, "Ten times the data").
        named: list[str] | QuerySet = list(keys)
        if len(keys) > self.keys_max:
            named = (
                matching_links(filters=self.filters)
                .annotate(link_key=Cast("pk", CharField()))
                .values("link_key")
            )
        selected = ClickCount.objects.filter(
            wanted, period, dimension=Dimension.LINK, key__in=named
        )
        found: list[LinkRow] = [
            (int(row[0]), row[1], row[2], row[3] if with_start else None, row[-1])
            for row in selected.values_list(*fields)
            if row[0] in keys
        ]
        self._kept[kept] = found
        return found

    @cached_property
    def counts(self) -> dict[int, Counter]:
        """Per matching link with clicks in the period: raw and verified clicks and
        conversions (and `goal:<goal>`), summed: what the totals of filters that combine and
        the breakdowns show. Repeats, self-clicks and bots are not read for links: no page
        shows them, and they would double the rows looked up. The sums over settled days
        are kept for this very set of links (settled.py), so a load reads the days since
        yesterday alone."""
        settled, live = settled_and_live(self.parts)
        found: dict[int, Counter] = defaultdict(Counter)
        if settled:
            kept = settled_kept(
                ("links", frozenset(self.owners)), settled, lambda: self._summed(settled)
            )
            for link, counts in kept.items():
                found[link].update(counts)
        for link, counts in self._summed(live).items():
            found[link].update(counts)
        return found

    def _summed(self, parts: list[Part]) -> dict[int, Counter]:
        found: dict[int, Counter] = defaultdict(Counter)
        if not parts:
            return found
        for link, prop, goal, _start, value in self.rows(
            parts, RANKED_PROPERTIES, with_start=False
        ):
            counts = found[link]
            counts[prop] += value
            if prop == Property.CONVERSIONS:
                counts[f"goal:{goal}"] += value
        return dict(found)

    @cached_property
    def groups_of(self) -> dict[str, list[str]]:
        """The current groups of the links' ambassadors, as keys."""
        people = {owner[1] for owner in self.owners.values()}
        memberships = Person.groups.through.objects.values_list("person_id", "group_id")
        if len(people) <= self.keys_max:
            memberships = memberships.filter(person_id__in=[int(pk) for pk in people])
        found: dict[str, list[str]] = defaultdict(list)
        for person, group in memberships:
            found[str(person)].append(str(group))
        return found

    def breakdown(self, by: str) -> dict[str, Counts]:
        """The links' counts summed per value of `by` (a link's owner, or for groups its
        ambassador's current groups)."""
        found: dict[str, Counts] = defaultdict(Counter)
        owners, position = self.owners, OWNER_POSITION.get(by)
        groups = self.groups_of if by == Dimension.GROUP else {}
        for pk, counts in self.counts.items():
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
