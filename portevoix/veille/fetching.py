"""Fetching sources on schedule: conditional requests, back-off on failure, pause when a
source keeps failing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.core.fetch import FetchError, fetch
from portevoix.veille.alerts import alert_create, watches_check_alerts
from portevoix.veille.feeds import FeedError, feed_parse
from portevoix.veille.ingest import items_store
from portevoix.veille.models import AlertKind, Source

logger = logging.getLogger(__name__)


@dataclass
class FetchOutcome:
    ok: bool
    new_items: int = 0
    not_modified: bool = False
    error: str = ""


def _status_error(status: int) -> str:
    if status in (404, 410):
        return _("The server says this feed does not exist (error %(status)s).") % {
            "status": status
        }
    if status in (401, 403):
        return _("The server refuses access to this feed (error %(status)s).") % {"status": status}
    if status >= 500:
        return _("The server had a problem (error %(status)s); it will be tried again.") % {
            "status": status
        }
    return _("The server gave an unexpected answer (status %(status)s).") % {"status": status}


def source_fetch(*, source: Source, now: datetime | None = None) -> FetchOutcome:
    """Read a source once, store its new items and record the outcome on the source."""
    now = now or timezone.now()
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    try:
        result = fetch(
            source.url,
            max_bytes=settings.VEILLE_FEED_MAX_BYTES,
            timeout=settings.VEILLE_FETCH_TIMEOUT,
            headers=headers,
        )
        if result.status == 304:
            source_record_success(source=source, now=now)
            return FetchOutcome(ok=True, not_modified=True)
        if not 200 <= result.status < 300:
            raise FeedError(_status_error(result.status))
        if result.truncated:
            raise FeedError(
                _("The feed is larger than %(size)d MB: it was cut off and not read.")
                % {"size": max(1, settings.VEILLE_FEED_MAX_BYTES // (1024 * 1024))}
            )
        parsed = feed_parse(
            result.body,
            url=result.url,
            content_type=result.header("content-type"),
            max_items=settings.VEILLE_MAX_ITEMS_PER_FETCH,
        )
    except (FetchError, FeedError) as error:
        source_record_failure(source=source, error=str(error), now=now)
        return FetchOutcome(ok=False, error=str(error))
    try:
        items = items_store(source=source, entries=parsed.items, now=now)
    except DatabaseError:
        # Whatever the database refused must not stop the other due sources: this one fails
        # like any other (back-off, then pause), and the error is logged for the operator.
        logger.exception("veille: the items of source %s could not be stored", source.pk)
        message = _("The feed's items could not be stored; it will be tried again.")
        source_record_failure(source=source, error=message, now=now)
        return FetchOutcome(ok=False, error=message)
    source_record_success(
        source=source,
        now=now,
        etag=result.header("etag")[:500],
        last_modified=result.header("last-modified")[:100],
    )
    if items:
        watches_check_alerts(now=now)
    return FetchOutcome(ok=True, new_items=len(items))


def source_record_success(
    *, source: Source, now: datetime, etag: str | None = None, last_modified: str | None = None
) -> None:
    source.last_fetched_at = source.last_success_at = now
    source.last_error = ""
    source.consecutive_failures = 0
    source.next_fetch_at = now + timedelta(minutes=source.fetch_interval_minutes)
    fields = ["last_fetched_at", "last_success_at", "last_error", "consecutive_failures"]
    if etag is not None:
        source.etag, source.last_modified = etag, last_modified or ""
        fields += ["etag", "last_modified"]
    source.save(update_fields=[*fields, "next_fetch_at"])


def backoff(*, source: Source) -> timedelta:
    """The usual interval after one failure, then twice as long after each, up to a cap."""
    exponent = max(0, source.consecutive_failures - 1)
    minutes = source.fetch_interval_minutes * 2 ** min(exponent, 20)
    return timedelta(minutes=min(minutes, settings.VEILLE_MAX_BACKOFF_MINUTES))


def source_record_failure(*, source: Source, error: str, now: datetime) -> None:
    source.last_fetched_at = source.last_error_at = now
    source.last_error = error
    source.consecutive_failures += 1
    source.next_fetch_at = now + backoff(source=source)
    pause = source.consecutive_failures >= settings.VEILLE_PAUSE_AFTER_FAILURES
    if pause:
        source.paused_at = now
    source.save(
        update_fields=[
            "last_fetched_at",
            "last_error_at",
            "last_error",
            "consecutive_failures",
            "next_fetch_at",
            "paused_at",
        ]
    )
    if pause:
        alert_create(kind=AlertKind.SOURCE_PAUSED, source=source, error=error)


def source_resume(*, source: Source, now: datetime | None = None) -> None:
    """Back on schedule at once, failures forgotten."""
    source.paused_at = None
    source.consecutive_failures = 0
    source.next_fetch_at = now or timezone.now()
    source.save(update_fields=["paused_at", "consecutive_failures", "next_fetch_at"])


def source_reset(*, source: Source) -> None:
    """A new address is a new feed: forget what the old server said, read it at once."""
    source.etag = source.last_modified = source.last_error = ""
    source.last_error_at = None
    source_resume(source=source)
    source.save(update_fields=["etag", "last_modified", "last_error", "last_error_at"])


def source_claim(*, source: Source, now: datetime) -> bool:
    """Take a due source for this worker: its next fetch moves past the longest possible
    fetch, conditionally, so a second worker running at the same moment skips it."""
    lease = timedelta(seconds=settings.VEILLE_FETCH_TIMEOUT * 2 + 60)
    return bool(
        Source.objects.filter(
            pk=source.pk, next_fetch_at=source.next_fetch_at, paused_at__isnull=True
        ).update(next_fetch_at=now + lease)
    )


def sources_fetch_due(*, now: datetime | None = None) -> dict[int, FetchOutcome]:
    """Fetch the sources whose time has come (oldest first, a bounded number per run)."""
    now = now or timezone.now()
    due = Source.objects.filter(paused_at__isnull=True, next_fetch_at__lte=now).order_by(
        "next_fetch_at"
    )[: settings.VEILLE_SOURCES_PER_RUN]
    outcomes = {}
    for source in due:
        if source_claim(source=source, now=now):
            outcomes[source.pk] = source_fetch(source=source, now=now)
    return outcomes
