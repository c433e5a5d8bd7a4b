"""Which counters answer a page: the route, chosen from the filters in `route_for()`, and
within a route the source of each breakdown (`Route.source()`). The table of routes is in the
package's docstring (click_figures/__init__.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from portevoix.analytics.filters import Filters
from portevoix.tracking.counters import CROSSED, Dimension, crossed

# Routes of a page.
PROGRAMME: Final = "programme"  # no filter
ONE_FILTER: Final = "one filter"  # one of campaign, post, ambassador, network, group
GROUP_IN_NETWORK: Final = "group in network"  # a network and a group
LINKS: Final = "links"  # any other combination

# Sources of a breakdown.
COUNTERS: Final = "counters"  # a dimension's own counters, ranked by the database
OWN_FILTER: Final = "own filter"  # broken down by the page's own filter: one value, the totals
NETWORKS_OF_GROUP: Final = "networks of group"  # the group's counters within each network
MATCHING_LINKS: Final = "matching links"  # sums of the matching links' counters


@dataclass(frozen=True)
class Source:
    """Where one breakdown of a page comes from."""

    name: str
    dimension: str | None = None  # with COUNTERS: the dimension whose counters are read


@dataclass(frozen=True)
class Route:
    """How one page's click figures are read. `counter`: the (dimension, key) whose counters
    give the totals, the series and the conversions by goal; None when the matching links'
    counters are summed instead."""

    name: str
    counter: tuple[str, str] | None
    own: dict[str, str]  # the page's click filters, as counter keys

    def source(self, by: str) -> Source:
        """Where the breakdown by `by` (campaign, post, group, network, ambassador) comes
        from on this route."""
        if self.name == PROGRAMME:
            return Source(COUNTERS, by)
        if self.counter is None:  # links
            return Source(MATCHING_LINKS)
        dimension, _key = self.counter
        if self.name == ONE_FILTER and by in CROSSED.get(dimension, ()):
            # Only a network or only a group: their counters within it ("post@linkedin").
            return Source(COUNTERS, crossed(by, *self.counter))
        if by in self.own:
            return Source(OWN_FILTER)
        if (dimension, by) == (Dimension.GROUP, Dimension.NETWORK):
            # No counter of networks within a group: one group per network is what the
            # counters within each network hold already ("group@linkedin" of that group).
            return Source(NETWORKS_OF_GROUP)
        return Source(MATCHING_LINKS)


def route_for(filters: Filters) -> Route:
    """The route of a page: the one place that decides which counters answer it."""
    wanted = filters.click_filters()
    if not wanted:
        return Route(PROGRAMME, (Dimension.ALL, ""), wanted)
    if len(wanted) == 1:
        return Route(ONE_FILTER, next(iter(wanted.items())), wanted)
    if set(wanted) == {Dimension.NETWORK, Dimension.GROUP}:
        # The group's counters within the network ("group@linkedin").
        within = crossed(Dimension.GROUP, Dimension.NETWORK, wanted[Dimension.NETWORK])
        return Route(GROUP_IN_NETWORK, (within, wanted[Dimension.GROUP]), wanted)
    return Route(LINKS, None, wanted)
