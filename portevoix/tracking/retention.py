"""What tracking keeps and for how long (core/retention.py): raw clicks, then conversions.

Raw clicks go after their period; the counters (rollups) built from them stay, and so do
conversions, which keep the click id as text. Conversions go after theirs; the conversion
counters stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.core.retention import RetentionKind, retention_days, rows_delete_in_chunks
from portevoix.tracking.models import Click, Conversion


def clicks_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete raw clicks older than the retention period, in chunks so that no long
    transaction holds the database. Returns how many were deleted."""
    days = retention_days("clicks") if days is None else days
    return clicks_older_purge((now or timezone.now()) - timedelta(days=days))


def clicks_older_purge(older_than: datetime) -> int:
    # Oldest ids first: without an index on `at`, the scan stops as soon as it has a chunk.
    return rows_delete_in_chunks(Click.objects.filter(at__lt=older_than))


def conversions_older_purge(older_than: datetime) -> int:
    return rows_delete_in_chunks(Conversion.objects.filter(at__lt=older_than))


KINDS = [
    RetentionKind(
        code="clicks",
        label=_("Raw clicks"),
        rule=_("Older raw clicks are deleted; the click counters built from them stay."),
        # The environment's CLICK_RETENTION_DAYS is the default an admin may change.
        default_days=lambda: settings.CLICK_RETENTION_DAYS,
        min_days=30,
        max_days=1095,
        purge=clicks_older_purge,
    ),
    RetentionKind(
        code="conversions",
        label=_("Conversions"),
        rule=_("Older conversions are deleted; the conversion counters stay."),
        default_days=1095,
        min_days=90,
        max_days=3650,
        purge=conversions_older_purge,
    ),
]
