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
