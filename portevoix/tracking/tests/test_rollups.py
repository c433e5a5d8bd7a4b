"""rollups_add(): the one writer of click counters, usable for synthetic data too."""

from django.db import transaction

from portevoix.tracking.models import ClickCount, ClickKind
from portevoix.tracking.rollups import (
    Attribution,
    ClassifiedClick,
    conversion_rollups_add,
    rollups_add,
)
from portevoix.tracking.visitors import organisation_zone

from .conftest import at

ATTRIBUTION = Attribution(
    link_id=7, post_id=3, ambassador_id=11, network="mastodon", campaign_id=None, group_ids=(5,)
)


def values(**filters):
    return {
        (
            row.dimension,
            row.key,
            row.property,
            row.start.astimezone(organisation_zone()).isoformat(),
        ): row.value
        for row in ClickCount.objects.filter(**filters)
    }


def test_counts_go_to_every_dimension_in_hour_and_day_buckets(db):
    clicks = [
        ClassifiedClick("a" * 16, at("2031-03-05T09:10"), ClickKind.VERIFIED, "v1", ATTRIBUTION),
        ClassifiedClick("b" * 16, at("2031-03-05T09:50"), ClickKind.BOT, "v2", ATTRIBUTION),
        ClassifiedClick("c" * 16, at("2031-03-05T14:00"), ClickKind.VERIFIED, "v3", ATTRIBUTION),
    ]
    with transaction.atomic():
        rollups_add(clicks=clicks)
    hourly = values(frequency="hour", property="raw", dimension="network")
    assert hourly == {
        ("network", "mastodon", "raw", "2031-03-05T09:00:00+01:00"): 2,
        ("network", "mastodon", "raw", "2031-03-05T14:00:00+01:00"): 1,
    }
    daily = values(frequency="day", dimension="group")
    assert daily == {
        ("group", "5", "raw", "2031-03-05T00:00:00+01:00"): 3,
        ("group", "5", "verified", "2031-03-05T00:00:00+01:00"): 2,
        ("group", "5", "bot", "2031-03-05T00:00:00+01:00"): 1,
    }
    assert set(ClickCount.objects.values_list("dimension", flat=True)) == {
        "all",
        "link",
        "post",
        "ambassador",
        "network",
        "group",
        "post@mastodon",
        "ambassador@mastodon",
        "group@mastodon",
        "post@group:5",
        "ambassador@group:5",
    }  # no campaign for a post outside campaigns


def test_crossed_counters_hold_raw_verified_and_conversions_by_day_and_month_only(db):
    in_campaign = Attribution(
        link_id=8, post_id=4, ambassador_id=11, network="x", campaign_id=2, group_ids=(5, 6)
    )
    clicks = [
        ClassifiedClick("a" * 16, at("2031-03-05T09:10"), ClickKind.VERIFIED, "v1", in_campaign),
        ClassifiedClick("b" * 16, at("2031-03-05T09:50"), ClickKind.BOT, "v2", in_campaign),
        ClassifiedClick("c" * 16, at("2031-03-06T14:00"), ClickKind.VERIFIED, "v3", ATTRIBUTION),
        ClassifiedClick("d" * 16, at("2031-03-06T15:00"), ClickKind.REPEAT, "v3", ATTRIBUTION),
    ]
    with transaction.atomic():
        rollups_add(clicks=clicks)
    conversion_rollups_add(attribution=in_campaign, goal="signup", at=at("2031-03-07T10:00"))
    crossed = ClickCount.objects.filter(dimension__contains="@")
    assert set(crossed.values_list("frequency", flat=True)) == {"day", "month"}
    assert set(crossed.values_list("property", flat=True)) == {"raw", "verified", "conversions"}
    day = "2031-03-05T00:00:00+01:00"
    conversion_day = "2031-03-07T00:00:00+01:00"
    mastodon_day = "2031-03-06T00:00:00+01:00"
    expected = {}
    for dimension, key in [
        ("post@x", "4"),
        ("ambassador@x", "11"),
        ("campaign@x", "2"),
        ("group@x", "5"),
        ("group@x", "6"),
        ("post@group:5", "4"),
        ("ambassador@group:5", "11"),
        ("campaign@group:5", "2"),
        ("post@group:6", "4"),
        ("ambassador@group:6", "11"),
        ("campaign@group:6", "2"),
    ]:
        expected[(dimension, key, "raw", day)] = 2
        expected[(dimension, key, "verified", day)] = 1
        expected[(dimension, key, "conversions", conversion_day)] = 1
    for dimension, key in [
        ("post@mastodon", "3"),
        ("ambassador@mastodon", "11"),
        ("group@mastodon", "5"),
        ("post@group:5", "3"),
        ("ambassador@group:5", "11"),
    ]:
        expected[(dimension, key, "raw", mastodon_day)] = 2
        expected[(dimension, key, "verified", mastodon_day)] = 1
    found = values(dimension__contains="@", frequency="day")
    assert found == expected
    # The month is the sum of its days, the conversion's goal kept as for every counter.
    assert values(dimension="ambassador@x", frequency="month") == {
        ("ambassador@x", "11", "raw", "2031-03-01T00:00:00+01:00"): 2,
        ("ambassador@x", "11", "verified", "2031-03-01T00:00:00+01:00"): 1,
        ("ambassador@x", "11", "conversions", "2031-03-01T00:00:00+01:00"): 1,
    }
    assert crossed.filter(property="conversions").first().subgroup == "signup"


def test_adding_more_increments_the_same_rows(db):
    click = ClassifiedClick("a" * 16, at("2031-03-05T09:10"), ClickKind.REPEAT, "v1", ATTRIBUTION)
    rollups_add(clicks=[click])
    rollups_add(clicks=[click])
    assert values(dimension="post", frequency="day", property="repeat") == {
        ("post", "3", "repeat", "2031-03-05T00:00:00+01:00"): 2
    }


def test_unique_visitors_are_counted_once_per_day_and_scope(db):
    other_link = Attribution(
        link_id=8, post_id=3, ambassador_id=12, network="x", campaign_id=None, group_ids=()
    )
    rollups_add(
        clicks=[
            ClassifiedClick(
                "a" * 16, at("2031-03-05T09:00"), ClickKind.VERIFIED, "v1", ATTRIBUTION
            ),
            ClassifiedClick("b" * 16, at("2031-03-05T10:00"), ClickKind.VERIFIED, "v1", other_link),
            ClassifiedClick("c" * 16, at("2031-03-05T11:00"), ClickKind.VERIFIED, "v2", other_link),
        ]
    )
    rollups_add(
        clicks=[
            ClassifiedClick(
                "d" * 16, at("2031-03-05T12:00"), ClickKind.VERIFIED, "v2", ATTRIBUTION
            ),
            ClassifiedClick(
                "e" * 16, at("2031-03-06T09:00"), ClickKind.VERIFIED, "v1", ATTRIBUTION
            ),
        ]
    )
    assert values(dimension="post", property="visitors", frequency="day") == {
        ("post", "3", "visitors", "2031-03-05T00:00:00+01:00"): 2,
        ("post", "3", "visitors", "2031-03-06T00:00:00+01:00"): 1,
    }
    assert (
        values(dimension="all", property="visitors")[
            ("all", "", "visitors", "2031-03-05T00:00:00+01:00")
        ]
        == 2
    )


def test_a_daylight_saving_day_is_one_bucket(db):
    # 2031-03-30: clocks go forward in Paris, the day lasts 23 hours.
    rollups_add(
        clicks=[
            ClassifiedClick("a" * 16, at("2031-03-30T00:30"), ClickKind.BOT, "v", ATTRIBUTION),
            ClassifiedClick("b" * 16, at("2031-03-30T23:30"), ClickKind.BOT, "v", ATTRIBUTION),
        ]
    )
    assert values(dimension="all", frequency="day", property="raw") == {
        ("all", "", "raw", "2031-03-30T00:00:00+01:00"): 2
    }
