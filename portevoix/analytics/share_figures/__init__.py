"""Figures about people and shares: adoption, programme health, engagement, potential reach.

Distinct people (active ambassadors, potential reach, engagement, monthly active, cohorts)
cannot be added up from counters. They read the share activity: one row per person and
network whose bitmap says on which days they shared, so a year costs one row per person, not
one per share; share counts read the shares per network and day. Both are rebuilt from the
shares whenever one changes (activity.py). Which tables answer depends on the page's
filters, its **route**, chosen in one place (`routes.share_route()`):

| route | filters | shares per network and period | people who shared (active, monthly, engagement) | potential reach |
|---|---|---|---|---|
| programme | none | the shares per network and day | the whole programme's activity rows (the ones cohorts read: one query for both) | the activity, per network |
| network | only a network | that network's shares per day | the activity of the network | the activity of the network |
| people | a group or an ambassador (a network too, or not) | the period's shares, counted per period by the database | the activity of those people | the activity of those people |
| shares | a campaign or a post (the activity knows neither) | the period's shares, counted per period by the database | the period's shares | the period's shares and the people's network accounts |

Cohorts are always the whole programme's; adoption counts people, whatever the route. From
the activity, the key figures' people who shared and potential reach are counted by the
database but for the rows that span the period (`activity_reads.SPANS`): a row's first and
last days are days with a share, so only those rows' bitmaps are read.

Modules: `routes.py` (the route), `activity_reads.py` (the share activity and the shares
per day), `share_reads.py` (the period's shares), `bitmaps.py` (day bitmaps and months),
`raw_rows.py` (reads that skip the ORM's conversions), `figures.py` (`ShareFigures`). What
each measured trick brings: docs/analytics.md, "What the figures' code keeps, and what it
pays".
"""

from portevoix.analytics.share_figures.figures import Adoption, Engagement, ShareFigures
from portevoix.analytics.share_figures.routes import share_route
from portevoix.analytics.share_figures.share_reads import shares_for

__all__ = ["Adoption", "Engagement", "ShareFigures", "share_route", "shares_for"]
