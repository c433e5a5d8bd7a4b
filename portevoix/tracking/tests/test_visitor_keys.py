"""The visitor hash changes every day and yesterday's can never be recomputed."""

from datetime import timedelta

from django.utils import timezone

from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import Click, SeenBatch, SeenState, VisitorKey
from portevoix.tracking.tasks import visitor_keys_rotate
from portevoix.tracking.tests.conftest import FIREFOX, VISITOR_IP, call, inbox_clicks
from portevoix.tracking.tests.test_ingest import local
from portevoix.tracking.visitors import (
    local_day,
    visitor_hash,
    visitor_key_for,
    visitor_keys_destroy_expired,
)


def test_the_hash_is_a_keyed_hash_of_address_and_browser(db):
    key = visitor_key_for(day=local_day(timezone.now()))
    one = visitor_hash(key=key, ip=VISITOR_IP, user_agent=FIREFOX)
    assert len(one) == 32 and VISITOR_IP not in one
    assert one == visitor_hash(key=key, ip=VISITOR_IP, user_agent=FIREFOX)
    assert one != visitor_hash(key=key, ip="198.51.100.1", user_agent=FIREFOX)
    assert one != visitor_hash(key=key, ip=VISITOR_IP, user_agent=FIREFOX + " x")


def test_the_hash_tells_browsers_of_one_address_apart_by_its_second_half(db):
    key, other_key = b"k" * 32, b"o" * 32
    firefox = visitor_hash(key=key, ip=VISITOR_IP, user_agent=FIREFOX)
    other_browser = visitor_hash(key=key, ip=VISITOR_IP, user_agent="Other/1.0")
    assert firefox[:16] != other_browser[:16] and firefox[16:] == other_browser[16:]
    assert visitor_hash(key=key, ip="198.51.100.1", user_agent=FIREFOX)[16:] != firefox[16:]
    # Another day's key, another address part: days cannot be compared.
    assert visitor_hash(key=other_key, ip=VISITOR_IP, user_agent=FIREFOX)[16:] != firefox[16:]
    assert visitor_hash(key=key, ip=VISITOR_IP, user_agent=FIREFOX) == firefox


def test_each_day_has_its_own_random_key(db):
    today = local_day(timezone.now())
    first, second = visitor_key_for(day=today), visitor_key_for(day=today + timedelta(days=1))
    assert len(first) == 32 and first != second
    assert visitor_key_for(day=today) == first  # stable within the day


def test_the_same_visitor_gets_a_different_hash_the_next_day(make_app, link):
    call(make_app(clock=lambda: local(1, 12)), f"/s/{link.code}")
    call(make_app(clock=lambda: local(2, 12)), f"/s/{link.code}")
    first, second = inbox_clicks()
    assert first.visitor != second.visitor


def test_once_the_day_is_over_its_key_is_destroyed_and_never_made_again(make_app, link):
    call(make_app(clock=lambda: local(1, 12)), f"/s/{link.code}")
    clicks_ingest()
    clicked_day = local_day(local(1, 12))
    stored = Click.objects.get().visitor
    original = bytes(VisitorKey.objects.get(day=clicked_day).key)
    assert visitor_hash(key=original, ip=VISITOR_IP, user_agent=FIREFOX) == stored

    destroyed = visitor_keys_destroy_expired(today=clicked_day + timedelta(days=1))

    assert destroyed == 1
    assert not VisitorKey.objects.filter(day=clicked_day).exists()
    # Asking for that day's key again can only ever give a new random key: the stored hash
    # can no longer be matched to an address and a browser.
    again = visitor_key_for(day=clicked_day)
    assert again != original
    assert visitor_hash(key=again, ip=VISITOR_IP, user_agent=FIREFOX) != stored


def test_keys_of_past_days_are_never_created(db):
    yesterday = local_day(timezone.now()) - timedelta(days=1)
    assert visitor_key_for(day=yesterday) is None
    assert not VisitorKey.objects.filter(day=yesterday).exists()


def test_the_periodic_task_destroys_expired_keys_and_old_seen_sets(db):
    today = local_day(timezone.now())
    for age in (0, 1, 2):
        VisitorKey.objects.create(day=today - timedelta(days=age), key=b"k" * 32)
        SeenState.objects.create(day=today - timedelta(days=age), generation=1, token=age)
        SeenBatch.objects.create(
            day=today - timedelta(days=age), generation=1, token=age, digests=b"\0" * 8
        )
    visitor_keys_rotate.call_local()
    assert list(VisitorKey.objects.values_list("day", flat=True)) == [today]
    # Yesterday's seen set stays one more day, for clicks of late evening ingested after midnight.
    for model in (SeenState, SeenBatch):
        assert sorted(model.objects.values_list("day", flat=True)) == [
            today - timedelta(days=1),
            today,
        ]
