"""Click and conversion figures, read from the tracking counters (`ClickCount`), never from
raw clicks.

A period is read as whole organisation months (month counters) plus the days left over at
either end (day counters): a year is a dozen rows per key instead of 365 (periods.py). Which
counters answer depends on the page's filters, its **route**, chosen in one place
(`routes.route_for()`):

| route | filters | totals, series, conversions by goal | breakdown by X | top X |
|---|---|---|---|---|
| programme | none | the `all` counters | X's own counters | ranked by the database |
| one filter | one of campaign, post, ambassador, network, group | that key's counters | only a network or only a group: X's counters within it (`post@linkedin`, `post@group:12`); X = the filter itself: the totals; a group by network: the group's `group@<network>` rows; otherwise the matching links | ranked by the database from X's counters within the network or group; otherwise sorted here |
| group in network | a network and a group | the group's counters within the network (`group@linkedin`) | X = one of the filters: the totals; otherwise the matching links | sorted here |
| links | any other combination (campaign and group, say) | sums of the matching links' counters | the matching links | sorted here |

The matching links (links.py) are read once per page and their counters looked up by key:
up to `LINK_KEYS_MAX` named one by one, more by a subquery of the matching links. A link
fixes post, ambassador, network and campaign; its groups are then the ambassador's current groups, where
the group counters count the groups a click's ambassador was in when it was counted.
Unique visitors exist only for the whole programme, a post or a campaign: elsewhere they are
None ("not measured"), never made up; repeats, self-clicks and bots likewise on the routes
that read counters within a network or a group, or the links.

Modules: `routes.py` (the route and each breakdown's source), `periods.py` (months and
leftover days), `key_counters.py` (one key's counters, a dimension's counters, the database's
ranking), `settled.py` (the ranking's sums of settled days, kept between loads), `links.py`
(the matching links), `figures.py` (`ClickFigures`, which reads along
the route). What each measured trick brings: docs/analytics.md, "What the figures' code
keeps, and what it pays".
"""

from portevoix.analytics.click_figures.figures import ClickFigures
from portevoix.analytics.click_figures.periods import Part, period_parts, period_start, periods
from portevoix.analytics.click_figures.routes import Route, route_for

__all__ = ["ClickFigures", "Part", "Route", "period_parts", "period_start", "periods", "route_for"]
