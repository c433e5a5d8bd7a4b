"""Alerts for the pilot team: a rise of negative mentions, a source paused, once per episode.
They are told through notifications (`alert_notices.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from portevoix.veille.alert_notices import alert_notify
from portevoix.veille.models import Alert, AlertKind, Source, Tone, Watch
from portevoix.veille.signals import alert_raised

BASELINE_DAYS = 14
# The rate rule alone never fires on fewer negative mentions than this: 1 against a usual 0.2
# is noise, not a wave.
RATE_RULE_MINIMUM = 3


def alert_create(
    *, kind: str, watch: Watch | None = None, source: Source | None = None, **fields
) -> Alert:
    # One transaction: the alert and its notifications exist together, and the e-mails leave
    # once both are committed.
    with transaction.atomic():
        alert = Alert.objects.create(kind=kind, watch=watch, source=source, **fields)
        alert_notify(alert=alert)
        transaction.on_commit(lambda: alert_raised.send(sender=Alert, alert=alert))
    return alert


def negative_counts(*, watch: Watch, now: datetime) -> tuple[int, float]:
    """Negative mentions in the watch's window, and the usual number per window before it."""
    window_start = now - timedelta(hours=watch.alert_window_hours)
    negatives = watch.mentions.filter(tone=Tone.NEGATIVE)
    current = negatives.filter(dated_at__gt=window_start, dated_at__lte=now).count()
    before = negatives.filter(
        dated_at__gt=window_start - timedelta(days=BASELINE_DAYS), dated_at__lte=window_start
    ).count()
    usual = before * watch.alert_window_hours / (BASELINE_DAYS * 24)
    return current, usual


def is_high(*, watch: Watch, current: int, usual: float) -> bool:
    if current >= watch.alert_min_negative:
        return True
    return (
        watch.alert_rate_factor > 0
        and usual > 0
        and current >= RATE_RULE_MINIMUM
        and current >= watch.alert_rate_factor * usual
    )


def watch_check_alert(*, watch: Watch, now: datetime | None = None) -> Alert | None:
    """Open an episode (and alert) when negatives rise above the rule; close it when they fall
    back. While the episode lasts, nothing more is sent."""
    now = now or timezone.now()
    current, usual = negative_counts(watch=watch, now=now)
    if is_high(watch=watch, current=current, usual=usual):
        # Conditional update: of two workers checking at once, only one opens the episode.
        opened = Watch.objects.filter(pk=watch.pk, alerting_since__isnull=True).update(
            alerting_since=now
        )
        if opened:
            watch.alerting_since = now
            return alert_create(
                kind=AlertKind.NEGATIVE_RISE,
                watch=watch,
                negative_count=current,
                window_hours=watch.alert_window_hours,
                usual_count=round(usual, 2),
            )
    elif watch.alerting_since is not None:
        Watch.objects.filter(pk=watch.pk).update(alerting_since=None)
        watch.alerting_since = None
    return None


def watches_check_alerts(*, now: datetime | None = None) -> list[Alert]:
    alerts = [watch_check_alert(watch=watch, now=now) for watch in Watch.objects.all()]
    return [alert for alert in alerts if alert is not None]
