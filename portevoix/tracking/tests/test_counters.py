"""The counters' vocabulary names exactly what the rows already hold: no data migration."""

from portevoix.tracking.counters import (
    CROSSED,
    PROPERTIES,
    Dimension,
    Frequency,
    Property,
    crossed,
    crossed_prefix,
    is_crossed,
)
from portevoix.tracking.models import ClickKind
from portevoix.tracking.rollups import PROPERTY_OF_KIND


def test_the_names_are_the_stored_strings():
    assert PROPERTIES == (
        "raw",
        "verified",
        "repeat",
        "self",
        "bot",
        "scanner",
        "visitors",
        "conversions",
    )
    assert (Dimension.ALL, Dimension.LINK, Dimension.GROUP) == ("all", "link", "group")
    assert (Frequency.HOUR, Frequency.DAY, Frequency.MONTH) == ("hour", "day", "month")


def test_the_names_are_plain_strings_for_the_database_driver():
    # A str subclass (an Enum member) would cost sqlite3 an adapter look-up per value bound.
    names = [*PROPERTIES, Dimension.AMBASSADOR, Frequency.DAY, crossed("post", "network", "x")]
    assert {type(name) for name in names} == {str}


def test_crossed_dimensions_are_spelled_as_stored():
    assert crossed(Dimension.POST, Dimension.NETWORK, "linkedin") == "post@linkedin"
    assert crossed(Dimension.POST, Dimension.GROUP, "12") == "post@group:12"
    assert crossed(Dimension.GROUP, Dimension.NETWORK, "x") == "group@x"
    assert is_crossed("ambassador@group:3") and not is_crossed(Dimension.AMBASSADOR)
    assert "ambassador@linkedin".startswith(crossed_prefix(Dimension.AMBASSADOR))
    assert set(CROSSED) == {Dimension.NETWORK, Dimension.GROUP}


def test_each_kind_of_click_counts_under_its_own_property():
    assert {kind: PROPERTY_OF_KIND[kind] for kind in ClickKind} == {
        ClickKind.VERIFIED: Property.VERIFIED,
        ClickKind.REPEAT: Property.REPEAT,
        ClickKind.SELF: Property.SELF,
        ClickKind.BOT: Property.BOT,
        ClickKind.SCANNER: Property.SCANNER,
    }
