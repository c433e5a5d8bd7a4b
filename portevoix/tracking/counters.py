"""The vocabulary of click counters (`ClickCount`): what a row counts (`Property`), for what
(`Dimension` and its key), over which bucket (`Frequency`), and the crossed dimensions that
count one dimension within a network or a group ("post@linkedin", "post@group:12").

Every writer and reader of counters names them from here, in the spirit of Zulip's
`COUNT_STATS`; docs/metrics.md defines each one. The names are plain strings, not Enum
members: rollups_add() hands tens of thousands of them to the database per batch, and
sqlite3 binds a str subclass about 0.3 µs slower than a str (it looks for an adapter first).
The stored values are these strings: changing one means a data migration.
"""

from __future__ import annotations

from typing import Final


class Property:
    """What a counter counts (`ClickCount.property`)."""

    RAW: Final = "raw"  # every click: the sum of the five kinds below
    VERIFIED: Final = "verified"
    REPEAT: Final = "repeat"
    SELF: Final = "self"
    BOT: Final = "bot"
    SCANNER: Final = "scanner"  # e-mail link scanners (docs/metrics.md)
    VISITORS: Final = "visitors"  # unique visitors of a day (visitor-days over longer periods)
    CONVERSIONS: Final = "conversions"  # the subgroup is the goal


class Dimension:
    """What a counter counts for (`ClickCount.dimension`); the key says which one."""

    ALL: Final = "all"  # the whole programme; empty key
    LINK: Final = "link"
    POST: Final = "post"
    AMBASSADOR: Final = "ambassador"
    NETWORK: Final = "network"  # key: the network's code
    CAMPAIGN: Final = "campaign"
    GROUP: Final = "group"  # each group the ambassador was in when the click was counted


class Frequency:
    """The bucket of a counter (`ClickCount.frequency`)."""

    HOUR: Final = "hour"  # UTC hours
    DAY: Final = "day"  # organisation days (TIME_ZONE)
    MONTH: Final = "month"  # organisation months, each the sum of its days


# Properties whose subgroup is always empty (conversions have one per goal).
PLAIN_PROPERTIES: Final = (
    Property.RAW,
    Property.VERIFIED,
    Property.REPEAT,
    Property.SELF,
    Property.BOT,
    Property.SCANNER,
    Property.VISITORS,
)
PROPERTIES: Final = (*PLAIN_PROPERTIES, Property.CONVERSIONS)
# Dimensions in which unique visitors are counted (per organisation day). For a link, its
# verified clicks already are its unique visitors of the day.
VISITOR_DIMENSIONS: Final = (Dimension.POST, Dimension.CAMPAIGN, Dimension.ALL)

# Dimensions also counted within one network ("post@linkedin") and within one group
# ("post@group:12"): a dashboard filtered on one network or one group breaks its clicks down
# by these from their own counters, instead of summing the counters of thousands of links.
# Daily and monthly only, and only CROSSED_PROPERTIES, what breakdowns show: about a fifth
# more counter rows per batch (docs/tracking.md).
CROSSED: Final[dict[str, tuple[str, ...]]] = {
    Dimension.NETWORK: (Dimension.POST, Dimension.AMBASSADOR, Dimension.CAMPAIGN, Dimension.GROUP),
    # Networks within a group are the groups within each network ("group@linkedin").
    Dimension.GROUP: (Dimension.POST, Dimension.AMBASSADOR, Dimension.CAMPAIGN),
}
CROSSED_PROPERTIES: Final = (Property.RAW, Property.VERIFIED, Property.CONVERSIONS)
CROSSED_FREQUENCIES: Final = (Frequency.DAY, Frequency.MONTH)
WITHIN: Final = "@"


def crossed(dimension: str, scope: str, key: str) -> str:
    """The dimension of `dimension`'s counters within one network ("post@linkedin") or one
    group ("post@group:12")."""
    if scope == Dimension.NETWORK:
        return f"{dimension}{WITHIN}{key}"
    return f"{dimension}{WITHIN}{scope}:{key}"


def is_crossed(dimension: str) -> bool:
    """Whether the counters of `dimension` are within a network or a group."""
    return WITHIN in dimension


def crossed_prefix(dimension: str) -> str:
    """What every dimension of `dimension` within a network or a group starts with."""
    return f"{dimension}{WITHIN}"
