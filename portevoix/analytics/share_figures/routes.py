"""Which tables answer a page's share and people figures: the route, chosen from the filters
in `share_route()`. The table of routes is in the package's docstring
(share_figures/__init__.py)."""

from __future__ import annotations

from typing import Final

from portevoix.analytics.filters import Filters

PROGRAMME: Final = "programme"  # no filter
NETWORK: Final = "network"  # only a network
PEOPLE: Final = "people"  # a group or an ambassador (and maybe a network)
SHARES: Final = "shares"  # a campaign or a post, which the share activity does not know


def share_route(filters: Filters) -> str:
    """The route of a page: the one place that decides which tables answer it."""
    if filters.campaign_id is not None or filters.post_id is not None:
        return SHARES
    if filters.group_id is not None or filters.ambassador_id is not None:
        return PEOPLE
    return NETWORK if filters.network else PROGRAMME
