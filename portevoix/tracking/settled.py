"""Settled counters: the days ingestion no longer adds to, and the token that changes when
one of their counters changes after all.

A click is counted in the buckets of the moment it was made, seconds after it was made. Once
yesterday has begun, the days before it are settled: their counters change only when a click
reaches ingestion more than a day late (a worker stopped that long), when a person is erased,
or when data is loaded into the past (the demo, the synthetic data set). Each of those writes
changes the token in its own transaction, so a reader that kept sums over settled days under
one token knows they still hold while the token is the same
(analytics/click_figures/settled.py).

Yesterday is left out of the settled days so that the clicks still arriving just after
midnight, made a few seconds before it, do not change the token at every batch.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from portevoix.tracking.models import SettledCounters
from portevoix.tracking.visitors import day_start, local_day

TOKEN_ROW = 1


def settled_until(now: datetime | None = None) -> datetime:
    """The start of yesterday (organisation days): the counters of buckets that end by then
    are settled."""
    today = local_day(now or timezone.now())
    return day_start(today - timedelta(days=1))


def settled_token() -> int:
    """The settled counters' current token (0 before any change)."""
    found = SettledCounters.objects.filter(pk=TOKEN_ROW).values_list("token", flat=True).first()
    return found or 0


def settled_changed() -> None:
    """A settled counter is changing: a new token, in the caller's transaction (kept sums then
    stop holding exactly when the change commits)."""
    token = secrets.randbits(63)
    if SettledCounters.objects.filter(pk=TOKEN_ROW).update(token=token):
        return
    try:
        with transaction.atomic():
            SettledCounters.objects.create(pk=TOKEN_ROW, token=token)
    except IntegrityError:  # created meanwhile by another writer
        SettledCounters.objects.filter(pk=TOKEN_ROW).update(token=token)


def settled_changed_if_before(earliest: float) -> None:
    """Counters are being added to days from `earliest` (Unix time of the first day's start):
    a new token if that day is settled."""
    if earliest < settled_until().timestamp():
        settled_changed()
