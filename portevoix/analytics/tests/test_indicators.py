"""Each indicator on the hand-built programme of conftest.py, expected values worked out here."""

import importlib
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portevoix.accounts.models import NetworkAccount
from portevoix.analytics import value
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.dashboard import programme_figures
from portevoix.analytics.models import BrandChannel, MediaRate, ShareActivity
from portevoix.analytics.periods import previous_filters
from portevoix.analytics.share_figures import ShareFigures, shares_for
from portevoix.analytics.tables import top_ambassadors_table

from .conftest import period


def test_verified_excludes_bots_self_clicks_and_repeats(world):
    totals = ClickFigures(period("2025-12-10", "2025-12-10")).totals
    # 10 Dec: v1, v2, repeat v1, bot, self, v3 at 23:30 local = 6 raw; v1, v2, v3 verified.
    assert totals["raw"] == 6
    assert totals["verified"] == 3
    assert (totals["repeat"], totals["bot"], totals["self"]) == (1, 1, 1)
    assert totals["visitors"] == 3
    assert totals["conversions"] == 1


def test_days_follow_the_organisation_time_zone(world):
    # v4 came at 00:30 in Paris (23:30 UTC on the 10th): it belongs to the 11th.
    eleventh = ClickFigures(period("2025-12-11", "2025-12-11")).totals
    assert (eleventh["raw"], eleventh["verified"]) == (1, 1)
    series = ClickFigures(period("2025-12-09", "2025-12-11")).series()
    assert [series[date(2025, 12, d)]["verified"] for d in (9, 10, 11)] == [0, 3, 1]


def test_weeks_and_months_group_the_days(world):
    weeks = ClickFigures(period("2025-12-08", "2026-01-11", granularity="week")).series()
    # Week of Monday 8 December: 4 verified; week of Monday 5 January: frank's 2.
    assert weeks[date(2025, 12, 8)]["verified"] == 4
    assert weeks[date(2026, 1, 5)]["verified"] == 2
    assert sum(counts["verified"] for counts in weeks.values()) == 6
    months = ClickFigures(period("2025-12-01", "2026-01-31", granularity="month")).series()
    assert {start: c["verified"] for start, c in months.items()} == {
        date(2025, 12, 1): 4,
        date(2026, 1, 1): 2,
    }


def test_filters_combine(world):
    december = "2025-12-01", "2025-12-31"
    both = period(*december, campaign_id=world.campaign.pk, group_id=world.ventes.pk)
    assert ClickFigures(both).totals["verified"] == 4
    # Combined filters have no visitor counter, and their repeats, self-clicks and bots are
    # not read: not measured rather than made up.
    totals = ClickFigures(both).totals
    assert [totals[p] for p in ("visitors", "repeat", "self", "bot")] == [None] * 4
    assert totals["raw"] == 7
    other_group = period(*december, campaign_id=world.campaign.pk, group_id=world.tech.pk)
    assert ClickFigures(other_group).totals["verified"] == 0
    january = period("2026-01-01", "2026-01-31", network="linkedin", group_id=world.tech.pk)
    assert ClickFigures(january).totals["verified"] == 2
    assert shares_for(filters=january).count() == 1


def test_breakdowns_by_network_post_and_group(world):
    both = period("2025-12-01", "2026-01-31")
    by_post = ClickFigures(both).breakdown("post")
    assert by_post[str(world.job_post.pk)]["verified"] == 4
    assert by_post[str(world.other_post.pk)]["verified"] == 2
    filtered = period("2025-12-01", "2026-01-31", network="linkedin", group_id=world.ventes.pk)
    by_group = ClickFigures(filtered).breakdown("group")
    assert dict(by_group) == {str(world.ventes.pk): {"raw": 7, "verified": 4, "conversions": 1}}


def test_a_network_and_a_group_read_the_groups_counters_within_the_network(world):
    filtered = period("2025-12-01", "2026-01-31", network="linkedin", group_id=world.ventes.pk)
    figures = ClickFigures(filtered)
    with CaptureQueriesContext(connection) as queries:
        totals = figures.totals
        series = figures.series()
        by_network = figures.breakdown("network")
    # alice's LinkedIn clicks of 10 and 11 December: 7 raw, 4 verified, one conversion.
    assert (totals["raw"], totals["verified"], totals["conversions"]) == (7, 4, 1)
    # Counted within a network: raw, verified and conversions only.
    assert [totals[p] for p in ("visitors", "repeat", "self", "bot")] == [None] * 4
    assert sum(day["verified"] for day in series.values()) == 4
    assert by_network == {"linkedin": {"raw": 7, "verified": 4, "conversions": 1}}
    assert not [q for q in queries if "'link'" in q["sql"] or "trackedlink" in q["sql"]]
    assert figures.counter == ("group@linkedin", str(world.ventes.pk))
    # What the group's links hold, by post, still comes from them.
    assert figures.breakdown("post") == {
        str(world.job_post.pk): {"raw": 7, "verified": 4, "conversions": 1}
    }


def test_one_network_breaks_down_from_its_own_counters_without_reading_links(world):
    # 20 November to 15 January: leftover days and December's month counters.
    linkedin = period("2025-11-20", "2026-01-15", network="linkedin")
    figures = ClickFigures(linkedin)
    job, other = str(world.job_post.pk), str(world.other_post.pk)
    alice, frank = str(world.alice.pk), str(world.frank.pk)
    with CaptureQueriesContext(connection) as queries:
        assert figures.breakdown("post") == {
            job: {"raw": 7, "verified": 4, "conversions": 1},
            other: {"raw": 2, "verified": 2},
        }
        assert figures.breakdown("campaign") == {
            str(world.campaign.pk): {"raw": 7, "verified": 4, "conversions": 1}
        }
        assert figures.breakdown("group") == {
            str(world.ventes.pk): {"raw": 7, "verified": 4, "conversions": 1},
            str(world.tech.pk): {"raw": 2, "verified": 2},
        }
        assert figures.top("ambassador", 5) == [
            (alice, {"verified": 4, "raw": 7, "conversions": 1}),
            (frank, {"verified": 2, "raw": 2, "conversions": 0}),
        ]
    assert not [q for q in queries if "'link'" in q["sql"] or "trackedlink" in q["sql"]]
    # Another network has clicks of its own only: X has none in this programme.
    assert ClickFigures(period("2025-11-20", "2026-01-15", network="x")).top("post", 5) == []


def test_one_group_breaks_down_from_its_own_counters_without_reading_links(world):
    figures = ClickFigures(period("2025-11-20", "2026-01-15", group_id=world.ventes.pk))
    job, alice = str(world.job_post.pk), str(world.alice.pk)
    alice_clicks = {"raw": 7, "verified": 4, "conversions": 1}
    with CaptureQueriesContext(connection) as queries:
        assert figures.breakdown("post") == {job: alice_clicks}
        assert figures.breakdown("campaign") == {str(world.campaign.pk): alice_clicks}
        assert figures.breakdown("network") == {"linkedin": alice_clicks}
        assert figures.top("ambassador", 5) == [(alice, {"verified": 4, **alice_clicks})]
    assert not [q for q in queries if "'link'" in q["sql"] or "trackedlink" in q["sql"]]
    tech = ClickFigures(period("2025-11-20", "2026-01-15", group_id=world.tech.pk))
    assert tech.breakdown("post") == {str(world.other_post.pk): {"raw": 2, "verified": 2}}


def test_potential_reach_counts_a_person_once_per_network(world):
    december = period("2025-12-01", "2025-12-31")
    # alice shared twice on LinkedIn (500 followers) and once on X (200).
    assert ShareFigures(december).potential_reach() == {"linkedin": 500, "x": 200}
    january = period("2026-01-01", "2026-01-31")
    assert ShareFigures(january).potential_reach() == {"linkedin": 800}
    whole = period("2025-12-01", "2026-01-31")
    assert ShareFigures(whole).potential_reach() == {"linkedin": 800, "x": 200}


def test_cohorts_across_the_year_boundary(world):
    grid = ShareFigures(period("2025-12-01", "2026-02-28")).cohorts()
    # alice started in December and shared again in January; frank started in January.
    assert grid == [
        (date(2025, 12, 1), 1, [1, 1, 0]),
        (date(2026, 1, 1), 1, [1, 0]),
    ]
    # Cohorts are the whole programme's whatever the network or campaign (read differently
    # with them); with a group, its members' only (what a scoped editor may count).
    for narrowing in [{"network": "x"}, {"campaign_id": 0}]:
        assert ShareFigures(period("2025-12-01", "2026-02-28", **narrowing)).cohorts() == grid
    tech = ShareFigures(period("2025-12-01", "2026-02-28", group_id=world.tech.pk)).cohorts()
    assert tech == [(date(2026, 1, 1), 1, [1, 0])]  # frank's only
    assert ShareFigures(period("2025-12-01", "2026-01-31")).monthly_active() == {
        date(2025, 12, 1): 1,
        date(2026, 1, 1): 2,
    }
    # Ending on 10 January: alice's share of the 20th is after the period, frank's of the 5th
    # in it.
    early = period("2025-12-01", "2026-01-10")
    assert ShareFigures(early).cohorts() == [
        (date(2025, 12, 1), 1, [1, 0]),
        (date(2026, 1, 1), 1, [1]),
    ]
    assert ShareFigures(early).monthly_active() == {date(2025, 12, 1): 1, date(2026, 1, 1): 1}
    assert ShareFigures(early).active_people == {world.alice.pk, world.frank.pk}
    after = ShareFigures(period("2026-01-11", "2026-01-19"))
    assert after.active_people == set()  # nobody shared between the 11th and the 19th


def test_adoption_and_participation(world, erin):
    adoption = ShareFigures(period("2026-01-01", "2026-12-31")).adoption()
    # alice, frank, erin (not opted in); alice and frank opted in and both shared in January.
    assert (adoption.accounts, adoption.activated, adoption.opted_in) == (3, 3, 2)
    assert adoption.active == 2
    assert adoption.participation_rate == 1.0
    december = ShareFigures(period("2025-12-01", "2026-12-31")).adoption()
    assert december.active == 2


def test_engagement_index_per_group(world):
    rows = ShareFigures(period("2025-12-01", "2025-12-31")).engagement_by_group()
    assert [(r.group.name, r.members, r.active, r.index) for r in rows] == [
        ("Tech", 1, 0, 0.0),
        ("Ventes", 1, 1, 1.0),
    ]


def test_engagement_counts_opted_in_members_only(world):
    # alice shared in December, then opted out: no longer a member the index is about, on
    # either side of it.
    world.alice.opted_out_at = timezone.now()
    world.alice.save(update_fields=["opted_out_at"])
    rows = ShareFigures(period("2025-12-01", "2025-12-31")).engagement_by_group()
    assert [(r.group.name, r.members, r.active, r.index) for r in rows] == [
        ("Tech", 1, 0, 0.0),
        ("Ventes", 0, 0, None),
    ]


def test_earned_media_value_and_amplification(world):
    MediaRate.objects.create(
        network="linkedin", cpc=Decimal("2.00"), cpm=Decimal("10.00"), impression_rate="0.5"
    )
    BrandChannel.objects.create(network="linkedin", followers=250, monthly_traffic=4)
    reach = {"linkedin": 500}
    (emv,) = value.media_values(reach=reach, verified_by_network={"linkedin": 4})
    # 2 € × 4 verified + 10 € × (500 × 0.5 = 250 estimated impressions) / 1000 = 8 + 2.50
    assert emv.estimated_impressions == 250
    assert emv.value == Decimal("10.50")
    (ratio,) = value.amplification(reach=reach, verified_by_network={"linkedin": 4}, months=1)
    assert ratio.reach_ratio == 2.0
    assert ratio.traffic_ratio == 1.0
    with translation.override("en"):
        found = programme_figures(filters=period("2025-12-01", "2025-12-31"))
    figures = {f.label: (f.value, f.kind) for f in found}
    # December: LinkedIn as above; X at the default rates (6 € CPM, 10 % of followers see
    # it): 0 verified, 200 × 0.1 = 20 estimated impressions → 6 × 20 / 1000 = 0.12.
    assert figures["Earned media value (€)"] == (Decimal("10.62"), "estimated")
    assert figures["Potential reach"] == (700, "potential")
    assert figures["Verified clicks"] == (4, "verified")
    assert figures["Raw clicks"] == (7, "raw")


def test_rankings_leave_out_people_who_hid(world):
    whole = period("2025-12-01", "2026-01-31")
    assert [row[0] for row in top_ambassadors_table(filters=whole).rows] == [
        "Alice Martin",
        "Frank Leroy",
    ]
    world.alice.hide_from_rankings = True
    world.alice.save()
    # Ranked by the database (no filter, or one network) or from the links (combined filters).
    for narrowing in [{}, {"network": "linkedin"}]:
        filters = period("2025-12-01", "2026-01-31", **narrowing)
        assert [row[0] for row in top_ambassadors_table(filters=filters).rows] == ["Frank Leroy"]
        assert [row[1:] for row in top_ambassadors_table(filters=filters).rows] == [[2, 2, 0]]
    tech = period("2025-12-01", "2026-01-31", network="linkedin", group_id=world.tech.pk)
    assert [row[0] for row in top_ambassadors_table(filters=tech).rows] == ["Frank Leroy"]
    ventes = period("2025-12-01", "2026-01-31", network="linkedin", group_id=world.ventes.pk)
    assert top_ambassadors_table(filters=ventes).rows == []


def test_potential_reach_follows_the_declared_followers(world):
    december = period("2025-12-01", "2025-12-31")
    account = NetworkAccount.objects.get(person=world.alice, network="linkedin")
    account.followers = 650
    account.save()
    assert ShareFigures(december).potential_reach() == {"linkedin": 650, "x": 200}
    NetworkAccount.objects.filter(person=world.alice, network="x").delete()
    assert ShareFigures(december).potential_reach() == {"linkedin": 650}
    # Declared again: counted again, for the shares already made.
    NetworkAccount.objects.create(person=world.alice, network="x", followers=90)
    assert ShareFigures(december).potential_reach() == {"linkedin": 650, "x": 90}


def test_the_migration_copies_the_followers_onto_the_activity(world):
    migration = importlib.import_module("portevoix.analytics.migrations.0003_activity_followers")
    expected = set(ShareActivity.objects.values_list("person_id", "network", "followers"))
    ShareActivity.objects.update(followers=0)
    with connection.cursor() as cursor:
        cursor.execute(migration.FOLLOWERS)
    assert set(ShareActivity.objects.values_list("person_id", "network", "followers")) == expected
    assert (world.alice.pk, "linkedin", 500) in expected
    assert (world.alice.pk, "", 0) in expected


def test_many_matching_links_give_the_same_figures_as_a_few(world):
    # Beyond LINK_KEYS_MAX matching links, their counters are named by a subquery of the
    # matching links rather than one parameter each: both ways must agree.
    both = period(
        "2025-12-01", "2026-01-31", campaign_id=world.campaign.pk, group_id=world.ventes.pk
    )
    by_key = ClickFigures(both)
    expected = (by_key.totals, by_key.series(), by_key.breakdown("network"), by_key.link_counts)
    every_link = ClickFigures(both, link_keys_max=0)
    found = (
        every_link.totals,
        every_link.series(),
        every_link.breakdown("network"),
        every_link.link_counts,
    )
    assert found == expected
    assert expected[0]["verified"] == 4


def test_the_previous_period_of_filters_that_combine_finds_the_matching_links_once(world):
    # January 2026 against December 2025, for a campaign and a group: the links do not
    # depend on the dates, only their counters do.
    january = period(
        "2026-01-01", "2026-01-31", campaign_id=world.campaign.pk, group_id=world.ventes.pk
    )
    figures = ClickFigures(january)
    assert figures.totals["verified"] == 0
    before = figures.previous()
    with CaptureQueriesContext(connection) as queries:
        totals = before.totals
    assert [q for q in queries if "trackedlink" in q["sql"]] == []
    # The links' counters of December (and the settled counters' token: December's days are
    # settled, their sums kept, click_figures/settled.py).
    assert [q for q in queries if "settledcounters" not in q["sql"]] == queries[-1:]
    assert before.filters == previous_filters(january)
    assert totals == ClickFigures(previous_filters(january)).totals
    assert (totals["raw"], totals["verified"], totals["conversions"]) == (7, 4, 1)
