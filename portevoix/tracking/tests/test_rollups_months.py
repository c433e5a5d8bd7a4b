"""Month counters: written by rollups_add() with the days, each month the sum of its days in
the organisation's calendar (Europe/Paris in the tests), whatever the UTC date."""

import random
from collections import Counter
from datetime import datetime
from importlib import import_module

from django.apps import apps
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

MINE = Attribution(
    link_id=7, post_id=3, ambassador_id=11, network="linkedin", campaign_id=2, group_ids=(5, 6)
)
OTHER = Attribution(
    link_id=8, post_id=4, ambassador_id=12, network="x", campaign_id=None, group_ids=()
)


def months_from_days() -> Counter:
    """What the month rows should hold: the day rows summed per organisation month."""
    found: Counter = Counter()
    for row in ClickCount.objects.filter(frequency="day"):
        first = row.start.astimezone(organisation_zone()).date().replace(day=1)
        found[(row.dimension, row.key, row.property, row.subgroup, first)] += row.value
    return found


def month_rows() -> Counter:
    found: Counter = Counter()
    for row in ClickCount.objects.filter(frequency="month"):
        local = row.start.astimezone(organisation_zone())
        assert (local.day, local.hour, local.minute) == (1, 0, 0)  # local midnight of the 1st
        found[(row.dimension, row.key, row.property, row.subgroup, local.date())] += row.value
    return found


def test_months_split_where_the_organisation_month_ends_not_utc(db):
    clicks = [
        # 31 October 23:30 in Paris is still October (22:30 UTC)...
        ClassifiedClick("a" * 16, at("2026-10-31T23:30"), ClickKind.VERIFIED, "v1", MINE),
        # ...and 1 November 00:30 in Paris is November, though 31 October 23:30 in UTC.
        ClassifiedClick("b" * 16, at("2026-11-01T00:30"), ClickKind.VERIFIED, "v2", MINE),
        # 25 October: the day summer time ends (25 hours).
        ClassifiedClick("c" * 16, at("2026-10-25T02:30"), ClickKind.BOT, "v3", MINE),
        ClassifiedClick("d" * 16, at("2026-11-30T23:59"), ClickKind.REPEAT, "v1", OTHER),
    ]
    with transaction.atomic():
        rollups_add(clicks=clicks)
        conversion_rollups_add(attribution=MINE, goal="lead", at=at("2026-11-01T00:10"))
    months = month_rows()
    assert months[("all", "", "raw", "", datetime(2026, 10, 1).date())] == 2
    assert months[("all", "", "raw", "", datetime(2026, 11, 1).date())] == 2
    assert months[("group", "6", "verified", "", datetime(2026, 11, 1).date())] == 1
    assert months[("campaign", "2", "conversions", "lead", datetime(2026, 11, 1).date())] == 1
    assert months == months_from_days()


def test_month_counters_always_equal_the_sum_of_the_days(db):
    rng = random.Random(5)
    clicks = [
        ClassifiedClick(
            f"r{n:015d}",
            at("2026-09-28T00:00") + rng.uniform(0, 75 * 86400),  # late September to December
            rng.choice(list(ClickKind)),
            f"v{rng.randint(0, 40)}",
            rng.choice([MINE, OTHER]),
        )
        for n in range(600)
    ]
    for start in range(0, 600, 150):  # several batches, as ingestion would write them
        with transaction.atomic():
            rollups_add(clicks=clicks[start : start + 150])
    for n in range(12):
        conversion_rollups_add(
            attribution=MINE, goal=rng.choice(["lead", "sign_up"]), at=clicks[n].at
        )
    months = month_rows()
    assert sum(v for k, v in months.items() if k[:3] == ("all", "", "raw")) == 600
    assert months == months_from_days()


def test_the_migration_sums_existing_days_into_the_same_months(db):
    clicks = [
        ClassifiedClick(
            f"m{n:015d}", at("2026-10-31T22:00") + n * 1800, ClickKind.VERIFIED, "v", MINE
        )
        for n in range(8)
    ]
    with transaction.atomic():
        rollups_add(clicks=clicks)
    written = month_rows()
    ClickCount.objects.filter(frequency="month").delete()
    migration = import_module("portevoix.tracking.migrations.0004_analytics_month_counters")
    migration.months_from_days(apps, None)
    assert month_rows() == written
    assert written[("link", "7", "raw", "", datetime(2026, 11, 1).date())] == 4
