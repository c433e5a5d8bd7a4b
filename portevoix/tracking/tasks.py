"""Background work: thin wrappers around the services.

Huey's periodic tasks run at most once a minute; so that `make run` shows a click counted
within seconds, the redirect's writer thread also queues an ingestion after it commits clicks,
at most once every NUDGE_SECONDS per web process.
"""

from __future__ import annotations

import logging
import time

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from portevoix.core.fetch import FetchError
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.scanners import scanner_networks_refresh
from portevoix.tracking.visitors import visitor_keys_destroy_expired

log = logging.getLogger(__name__)
NUDGE_SECONDS = 2.0
INGEST_SECONDS = 50  # one run stays under the minute between periodic runs
_last_nudge = 0.0


def _ingest() -> None:
    # No task lock: two runs at once are safe (each batch is claimed by a conditional write of
    # its checkpoint, or FOR UPDATE SKIP LOCKED), and a lock left by a killed worker (Huey's
    # SQLite storage has no lock lifetime) would stop ingestion for good.
    report = clicks_ingest(max_seconds=INGEST_SECONDS)
    if report.raw:
        log.info("ingested %d raw clicks, %s", report.raw, report.by_kind)


@db_task()
def ingest_clicks_task() -> None:
    _ingest()


@db_periodic_task(crontab(minute="*"))
def ingest_clicks_periodically() -> None:
    _ingest()


@db_periodic_task(crontab(minute="*/10"))
def visitor_keys_rotate() -> None:
    visitor_keys_destroy_expired()


@db_periodic_task(crontab(hour="4", minute="41"))
def scanner_networks_update() -> None:
    try:
        stored = scanner_networks_refresh()
    except (FetchError, ValueError) as error:
        # The networks stored before stay in force: a list that failed to load removes nothing.
        log.warning("scanner networks not refreshed: %s", error)
        return
    if stored:
        log.info("scanner networks refreshed: %d networks", stored)


def ingest_soon() -> None:
    """The redirect committed clicks: queue an ingestion unless one was queued just now."""
    global _last_nudge
    now = time.monotonic()
    if now - _last_nudge < NUDGE_SECONDS or HUEY.immediate:
        return  # in immediate mode (tests) it would run inside the writer thread
    _last_nudge = now
    ingest_clicks_task()
