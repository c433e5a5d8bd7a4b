import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from portevoix.gamification.models import Action, PointEntry, PointRule
from portevoix.gamification.points import click_points_award, points_award, points_total


def test_a_fact_is_scored_once(alice):
    now = timezone.now()
    assert points_award(person=alice, action=Action.SHARE, source="share:1", at=now).points == 10
    assert points_award(person=alice, action=Action.SHARE, source="share:1", at=now) is None
    assert points_total(alice) == 10


def test_nothing_is_scored_for_people_who_do_not_take_part(erin, alice):
    assert (
        points_award(person=erin, action=Action.SHARE, source="share:1", at=timezone.now()) is None
    )
    alice.opted_in_at = None
    alice.save()
    assert (
        points_award(person=alice, action=Action.SHARE, source="share:2", at=timezone.now()) is None
    )
    assert not PointEntry.objects.exists()


def test_rule_changes_apply_from_their_date_on(alice, carol):
    now = timezone.now()
    PointRule.objects.create(action=Action.SHARE, points=10, valid_from=now - timedelta(days=30))
    PointRule.objects.create(action=Action.SHARE, points=25, valid_from=now - timedelta(days=1))
    before = points_award(
        person=alice, action=Action.SHARE, source="share:1", at=now - timedelta(days=2)
    )
    after = points_award(person=alice, action=Action.SHARE, source="share:2", at=now)
    assert (before.points, after.points) == (10, 25)


def test_verified_clicks_are_capped_per_link_and_day(alice):
    PointRule.objects.create(
        action=Action.VERIFIED_CLICK,
        points=2,
        daily_cap_per_link=3,
        valid_from=timezone.now() - timedelta(days=1),
    )
    now = timezone.now()
    awarded = [click_points_award(person=alice, link_id=1, click_id=i, at=now) for i in range(5)]
    assert [a is not None for a in awarded] == [True, True, True, False, False]
    # Another link has its own cap; the next day starts again.
    assert click_points_award(person=alice, link_id=2, click_id=10, at=now) is not None
    assert (
        click_points_award(person=alice, link_id=1, click_id=11, at=now + timedelta(days=1))
        is not None
    )
    assert points_total(alice) == 2 * 5


def test_the_same_click_is_never_scored_twice(alice):
    now = timezone.now()
    assert click_points_award(person=alice, link_id=1, click_id=7, at=now) is not None
    assert click_points_award(person=alice, link_id=1, click_id=7, at=now) is None
    assert PointEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_ingesting_the_same_clicks_score_each_once_within_the_cap(charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice", "ambassador")
    PointRule.objects.create(
        action=Action.VERIFIED_CLICK,
        points=1,
        daily_cap_per_link=15,
        valid_from=timezone.now() - timedelta(days=1),
    )
    now = timezone.now()
    clicks = list(range(40))
    barrier = threading.Barrier(2)
    errors = []

    def worker(order):
        barrier.wait()
        try:
            for click_id in order:
                click_points_award(person=alice, link_id=1, click_id=click_id, at=now)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in (clicks, list(reversed(clicks)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = PointEntry.objects.filter(person=alice)
    assert entries.count() == 15
    assert len(set(entries.values_list("source", flat=True))) == 15


def test_a_batch_past_the_cap_scores_the_cap_and_costs_no_query_per_click(
    alice, django_assert_max_num_queries
):
    from portevoix.gamification.points import RuleBook, link_day_clicks_award

    PointRule.objects.create(
        action=Action.VERIFIED_CLICK,
        points=1,
        daily_cap_per_link=5,
        valid_from=timezone.now() - timedelta(days=1),
    )
    now = timezone.now()
    click_points_award(person=alice, link_id=1, click_id="earlier", at=now)  # takes slot 0
    rules = RuleBook()
    clicks = [(f"c{n}", now) for n in range(500)]
    # Reading the day once, four inserts (each in a savepoint), however many clicks follow.
    with django_assert_max_num_queries(20):
        awarded = link_day_clicks_award(person=alice, link_id=1, clicks=clicks, rules=rules)
    assert [entry.source for entry in awarded] == ["click:c0", "click:c1", "click:c2", "click:c3"]
    assert sorted(PointEntry.objects.values_list("slot", flat=True)) == [
        f"link:1:{timezone.localdate(now).isoformat()}:{n}" for n in range(5)
    ]
    # The same batch again scores nothing more.
    assert link_day_clicks_award(person=alice, link_id=1, clicks=clicks, rules=rules) == []


def test_the_rule_book_picks_the_rule_in_force_as_the_database_does(alice):
    from portevoix.gamification.points import RuleBook, rule_in_force

    now = timezone.now()
    for days, points in ((30, 1), (10, 2), (10, 3), (-5, 4)):
        PointRule.objects.create(
            action=Action.SHARE, points=points, valid_from=now - timedelta(days=days)
        )
    rules = RuleBook()
    for days in (40, 30, 20, 10, 1, -10):
        at = now - timedelta(days=days)
        expected = rule_in_force(action=Action.SHARE, at=at)
        assert rules.in_force(action=Action.SHARE, at=at) == expected
    assert rules.in_force(action=Action.SHARE, at=now).points == 3
