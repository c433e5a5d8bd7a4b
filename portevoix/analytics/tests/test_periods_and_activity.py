"""The fast paths give the figures of the slow ones: whole months + leftover days against days
alone, the share activity against the shares themselves, the ranking in SQL against a sort."""

from datetime import date

from django.utils import translation

from portevoix.accounts.models import Person
from portevoix.analytics.activity import activity_rebuild_all
from portevoix.analytics.click_figures import ClickFigures, Part, period_parts, periods
from portevoix.analytics.models import BrandChannel, ShareActivity, ShareDayCount
from portevoix.analytics.share_figures import ShareFigures
from portevoix.analytics.tables import amplification_table, top_posts_table
from portevoix.sharing.models import Share

from .conftest import local, period


def test_a_period_is_whole_months_and_the_days_left_over():
    parts = period_parts(start=date(2025, 11, 28), end=date(2026, 11, 27))
    assert [(p.frequency, p.since.date(), p.until.date()) for p in parts] == [
        ("day", date(2025, 11, 28), date(2025, 12, 1)),
        ("month", date(2025, 12, 1), date(2026, 11, 1)),
        ("day", date(2026, 11, 1), date(2026, 11, 28)),
    ]
    (january,) = period_parts(start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert january.frequency == "month"
    (days,) = period_parts(start=date(2026, 1, 15), end=date(2026, 2, 10))
    assert isinstance(days, Part) and days.frequency == "day"


def _by_days(filters) -> dict:
    """The same totals, one day at a time: never from a month counter."""
    found: dict = {}
    day = filters.start
    while day <= filters.end:
        one = period(day.isoformat(), day.isoformat(), **_narrowing(filters))
        for prop, value in ClickFigures(one).totals.items():
            found[prop] = None if value is None else (found.get(prop) or 0) + value
        day = date.fromordinal(day.toordinal() + 1)
    return found


def _narrowing(filters) -> dict:
    return {
        "campaign_id": filters.campaign_id,
        "group_id": filters.group_id,
        "network": filters.network,
        "ambassador_id": filters.ambassador_id,
    }


def test_months_and_days_give_the_figures_of_the_days_alone(world):
    # 20 November to 15 January: leftover days, December whole, leftover days.
    for narrowing in [
        {},
        {"campaign_id": world.campaign.pk},
        {"campaign_id": world.campaign.pk, "group_id": world.ventes.pk},
        {"network": "linkedin", "group_id": world.tech.pk},
    ]:
        filters = period("2025-11-20", "2026-01-15", **narrowing)
        assert [p.frequency for p in ClickFigures(filters).parts] == ["day", "month", "day"]
        totals = ClickFigures(filters).totals
        assert totals == _by_days(filters), narrowing
    whole = period("2025-11-20", "2026-01-15")
    assert ClickFigures(whole).totals["verified"] == 6


def test_a_series_by_month_reads_the_months_like_the_days(world):
    by_month = ClickFigures(period("2025-12-01", "2026-01-31", granularity="month")).series()
    by_day = ClickFigures(period("2025-12-01", "2026-01-31")).series()
    for month in (date(2025, 12, 1), date(2026, 1, 1)):
        days = [c for d, c in by_day.items() if d.replace(day=1) == month]
        for prop in ("raw", "verified", "conversions"):
            assert by_month[month][prop] == sum(c[prop] for c in days)
    assert by_month[date(2025, 12, 1)]["verified"] == 4


def test_top_posts_are_ranked_by_the_database(world):
    with translation.override("en"):
        table = top_posts_table(filters=period("2025-12-01", "2026-01-31"))
    assert [row[:4] for row in table.rows] == [
        [world.job_post.title, 4, 7, 1],
        [world.other_post.title, 2, 2, 0],
    ]


def test_the_activity_follows_every_share(world):
    alice = ShareActivity.objects.get(person=world.alice, network="")
    # alice shared on 10, 11 and 12 December 2025 and on 20 January 2026.
    first = date(2025, 12, 10).toordinal()
    days = int.from_bytes(alice.days, "little")
    assert alice.first_day == first
    assert {n for n in range(days.bit_length()) if days >> n & 1} == {0, 1, 2, 41}
    assert ShareDayCount.objects.get(network="x", day=date(2025, 12, 12)).shares == 1
    Share.objects.filter(person=world.alice, network="x").delete()
    assert not ShareActivity.objects.filter(person=world.alice, network="x").exists()
    assert not ShareDayCount.objects.filter(network="x").exists()
    Share.objects.create(
        post=world.other_post, person=world.alice, network="x", created_at=local("2026-02-02T09:00")
    )
    assert ShareActivity.objects.get(person=world.alice, network="x").first_day == (
        date(2026, 2, 2).toordinal()
    )
    Person.objects.filter(pk=world.frank.pk).delete()  # erasure: the rows go with the person
    assert not ShareActivity.objects.filter(person_id=world.frank.pk).exists()


def test_a_rebuild_from_the_shares_changes_nothing(world):
    before = sorted(ShareActivity.objects.values_list("person", "network", "first_day", "days"))
    counts = sorted(ShareDayCount.objects.values_list("network", "day", "shares"))
    activity_rebuild_all()
    after = sorted(ShareActivity.objects.values_list("person", "network", "first_day", "days"))
    assert [(p, n, f, bytes(d)) for p, n, f, d in after] == [
        (p, n, f, bytes(d)) for p, n, f, d in before
    ]
    assert sorted(ShareDayCount.objects.values_list("network", "day", "shares")) == counts


def test_people_figures_from_the_activity_equal_those_from_the_shares(world):
    for narrowing in [{}, {"network": "linkedin"}, {"group_id": world.ventes.pk}]:
        filters = period("2025-12-05", "2026-01-25", **narrowing)
        fast = ShareFigures(filters, starts=periods(filters=filters))
        slow = ShareFigures(filters, starts=periods(filters=filters))
        slow.from_activity = False  # as with a campaign filter: read the shares
        assert fast.from_activity
        assert fast.people_days == slow.people_days, narrowing
        assert fast.potential_reach() == slow.potential_reach(), narrowing
        assert fast.monthly_active() == slow.monthly_active(), narrowing
        assert fast.series() == slow.series(), narrowing
        # The shares' periods found by the database (a binary search of CASEs) are those the
        # day counts give, by week and by month too.
        for granularity in ("week", "month"):
            by = period("2025-12-05", "2026-01-25", granularity=granularity, **narrowing)
            starts = periods(filters=by)
            fast = ShareFigures(by, starts=starts)
            slow = ShareFigures(by, starts=starts)
            slow.from_activity = False
            assert fast.series() == slow.series(), (narrowing, granularity)
    weeks = ShareFigures(
        period("2025-12-01", "2026-01-31", granularity="week"),
        starts=periods(filters=period("2025-12-01", "2026-01-31", granularity="week")),
    )
    weeks.from_activity = False
    # alice on 10, 11 and 12 December (week of the 8th); frank on 5 January and alice on 20
    # January (weeks of the 5th and of the 19th).
    assert {str(start): n for start, n in weeks.series().items() if n} == {
        "2025-12-08": 3,
        "2026-01-05": 1,
        "2026-01-19": 1,
    }
    whole = ShareFigures(period("2025-12-01", "2026-01-31"))
    assert whole.active_people == {world.alice.pk, world.frank.pk}
    assert whole.potential_reach() == {"linkedin": 800, "x": 200}


def engagement(figures: ShareFigures) -> list[tuple[str, int, int]]:
    return [(row.group.name, row.members, row.active) for row in figures.engagement_by_group()]


def test_people_who_shared_before_and_after_a_period_count_only_if_they_shared_in_it(world):
    # alice shared on 10, 11 and 12 December 2025 (X on the 12th) and on 20 January 2026;
    # frank on 5 January. Periods within alice's activity (her first and last days outside
    # them) are decided by her bitmap: with and without a share of hers inside.
    for start, end, active in [
        ("2025-12-11", "2025-12-11", 1),  # alice, inside her activity
        ("2025-12-13", "2026-01-04", 0),  # inside alice's activity, no share in it
        ("2025-12-13", "2026-01-19", 1),  # frank only
        ("2025-12-12", "2026-01-20", 2),  # both, alice by her last day
        ("2025-12-05", "2026-01-25", 2),
    ]:
        for narrowing in [{}, {"network": "linkedin"}, {"group_id": world.ventes.pk}]:
            fast = ShareFigures(period(start, end, **narrowing))
            slow = ShareFigures(period(start, end, **narrowing))
            slow.from_activity = False  # the period's shares
            assert fast.adoption() == slow.adoption(), (start, narrowing)
            assert fast.potential_reach() == slow.potential_reach(), (start, narrowing)
            assert engagement(fast) == engagement(slow), (start, narrowing)
        assert ShareFigures(period(start, end)).adoption().active == active, start
        assert sum(row[2] for row in engagement(ShareFigures(period(start, end)))) == active
    assert ShareFigures(period("2025-12-11", "2025-12-11")).potential_reach() == {"linkedin": 500}
    assert ShareFigures(period("2025-12-13", "2026-01-04")).potential_reach() == {}


def test_amplification_compares_reach_and_traffic_with_the_brand(world):
    BrandChannel.objects.create(network="linkedin", followers=250, monthly_traffic=2)
    december = period("2025-12-01", "2025-12-31")
    with translation.override("en"):
        table = amplification_table(filters=december)
    rows = {row[0]: row for row in table.rows}
    # LinkedIn: alice's 500 followers ÷ 250 = ×2.0; 4 verified clicks ÷ (2 a month × 31/30.4).
    assert rows["LinkedIn"][1:] == [500, 250, 2.0, 4, 2, 2.0]
    # X: no brand page entered, so no ratio rather than a made-up one.
    assert rows["X"][2:4] == [None, None]


def test_the_ranking_reads_raw_clicks_of_the_winners_only(world):
    whole = period("2025-11-20", "2026-01-15")
    # One asked, one found among keys with verified clicks: the raw clicks are looked up.
    assert ClickFigures(whole).top("post", 1) == [
        (str(world.job_post.pk), {"verified": 4, "raw": 7, "conversions": 1})
    ]
    assert [key for key, _counts in ClickFigures(whole).top("ambassador", 5)] == [
        str(world.alice.pk),
        str(world.frank.pk),
    ]
