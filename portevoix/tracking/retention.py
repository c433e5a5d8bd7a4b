"""Raw clicks are kept CLICK_RETENTION_DAYS, then deleted; rollups and conversions stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from portevoix.tracking.models import Click

CHUNK = 10_000


def clicks_purge(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete raw clicks older than the retention period, in chunks so that no long
    transaction holds the database. Returns how many were deleted."""
    days = settings.CLICK_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    while True:
        # Oldest first: without an index on `at`, the scan stops as soon as it has a chunk.
        ids = list(
            Click.objects.filter(at__lt=cutoff).order_by("id").values_list("id", flat=True)[:CHUNK]
        )
        if not ids:
            return deleted
        deleted += Click.objects.filter(id__in=ids).delete()[0]
