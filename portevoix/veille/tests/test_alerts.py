"""Negative-mention alerts: one per rise, none while it stays high, a new one after it falls
and rises again; in-app and by e-mail to the pilot team in each person's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portevoix.notifications.inapp import unread_count
from portevoix.veille.alert_notices import alerts_mark_read
from portevoix.veille.alerts import watch_check_alert, watches_check_alerts
from portevoix.veille.models import Alert, Watch


@pytest.fixture
def watch(db):
    return Watch.objects.create(
        name="Marque",
        terms="Lumière Énergies",
        alert_min_negative=3,
        alert_window_hours=24,
        alert_rate_factor=0,
    )


def negatives(make_item, count, at):
    for n in range(count):
        make_item(f"Lumière Énergies critiquée {n}", tone="negative", dated_at=at)


def test_one_alert_per_rise_none_while_high_a_new_one_after_a_fall(watch, make_item, bob):
    start = timezone.now() - timedelta(days=5)
    negatives(make_item, 2, start)
    make_item("Lumière Énergies recrute", tone="positive", dated_at=start)
    assert watch_check_alert(watch=watch, now=start) is None

    negatives(make_item, 1, start + timedelta(hours=1))
    first = watch_check_alert(watch=watch, now=start + timedelta(hours=1))
    assert first is not None and first.negative_count == 3

    # Still high, and rising: no second alert.
    negatives(make_item, 4, start + timedelta(hours=2))
    assert watch_check_alert(watch=watch, now=start + timedelta(hours=2)) is None
    assert watch_check_alert(watch=watch, now=start + timedelta(hours=3)) is None

    # The window slides past the negatives: the episode ends, silently.
    assert watch_check_alert(watch=watch, now=start + timedelta(hours=30)) is None
    watch.refresh_from_db()
    assert watch.alerting_since is None

    # A new rise is a new episode.
    negatives(make_item, 3, start + timedelta(hours=40))
    second = watch_check_alert(watch=watch, now=start + timedelta(hours=40))
    assert second is not None and second.pk != first.pk
    assert Alert.objects.filter(watch=watch).count() == 2


def test_the_rate_rule_compares_with_the_usual_rate(watch, make_item):
    watch.alert_min_negative = 100
    watch.alert_rate_factor = 3
    watch.save()
    now = timezone.now()
    # Usual: 14 negatives over the 14 days before the window, 1 a day.
    for day in range(2, 16):
        negatives(make_item, 1, now - timedelta(days=day) + timedelta(hours=1))
    negatives(make_item, 2, now - timedelta(hours=1))
    assert watch_check_alert(watch=watch, now=now) is None  # 2 < 3 × 1
    negatives(make_item, 1, now - timedelta(hours=1))
    alert = watch_check_alert(watch=watch, now=now)
    assert alert is not None and alert.negative_count == 3 and alert.usual_count == 1.0


def test_a_usual_rate_of_zero_does_not_make_every_negative_a_wave(watch, make_item):
    watch.alert_min_negative = 100
    watch.alert_rate_factor = 3
    watch.save()
    negatives(make_item, 3, timezone.now())
    assert watch_check_alert(watch=watch) is None


def test_neutral_and_positive_mentions_never_alert(watch, make_item):
    for n in range(10):
        make_item(f"Lumière Énergies {n}", tone="positive")
    assert watches_check_alerts() == []


def test_the_pilot_team_is_told_in_app_and_by_e_mail_in_their_language(
    watch, make_item, alice, bob, carol, dave, django_capture_on_commit_callbacks
):
    carol.language = "en"
    carol.save()
    negatives(make_item, 3, timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        alert = watch_check_alert(watch=watch)
    assert alert is not None
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert set(subjects) == {"bob@example.com", "carol@example.com"}
    assert subjects["carol@example.com"] == "Veille: negative mentions are rising for “Marque”"
    assert (
        subjects["bob@example.com"] == "Veille : les mentions négatives augmentent pour « Marque »"
    )
    english = next(m for m in mail.outbox if m.to[0] == "carol@example.com")
    assert "3 negative mentions of “Marque” in the last 24 hours." in english.body
    assert "/veille/alerts/" in english.body

    # The notifications badge counts the alert; the alerts page marks it read.
    assert unread_count(bob) == 1
    assert alerts_mark_read(person=bob) == 1
    assert unread_count(bob) == 0
    assert unread_count(carol) == 1
