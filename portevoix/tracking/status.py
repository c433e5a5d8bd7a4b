"""What an operator watches (`manage.py status`, the health page): the click inbox's backlog,
the ingestion lag, the task queue and the last run of each periodic task (docs/deploy.md).

Read-only and cheap enough to ask every minute: the PostgreSQL inbox is counted with one query,
the file inbox by reading the records after each segment's checkpoint (a healthy inbox holds a
few seconds of clicks).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Sum
from huey.contrib.djhuey import HUEY

from portevoix.core.models import PeriodicRun
from portevoix.core.periodic import periodic_runs_latest
from portevoix.tracking.inbox import (
    INBOX_COLUMNS,
    inbox_directory,
    inbox_group_clicks,
    inbox_is_postgres,
    log_checkpoints,
    spool_pending_clicks,
)
from portevoix.tracking.inbox_log import records, segments
from portevoix.tracking.models import ClickInbox

AT = INBOX_COLUMNS.index("at")


@dataclass(frozen=True)
class InboxBacklog:
    backend: str  # "postgresql" or "files"
    clicks: int  # raw clicks waiting for ingestion
    segments: int | None  # files holding some of them (file inbox only)
    oldest_at: float | None  # Unix time of the oldest click waiting
    # Of `clicks`, those the node asked has not shipped to the table yet (PostgreSQL only): a
    # growing number means this node cannot reach PostgreSQL, not that workers are behind.
    unshipped: int | None = None


@dataclass(frozen=True)
class PlatformStatus:
    inbox: InboxBacklog
    lag_seconds: float | None  # age of the oldest click waiting; None when none waits
    queue_pending: int | None  # tasks queued for a worker; None: the queue did not answer
    periodic: dict[str, PeriodicRun | None]

    def as_dict(self) -> dict:
        return {
            "inbox": {
                "backend": self.inbox.backend,
                "clicks_waiting": self.inbox.clicks,
                "segments_waiting": self.inbox.segments,
                "clicks_unshipped_here": self.inbox.unshipped,
            },
            "ingestion_lag_seconds": self.lag_seconds,
            "queue_pending": self.queue_pending,
            "periodic_tasks": {
                name: None
                if run is None
                else {
                    "started_at": run.started_at.isoformat(),
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "failed": run.failed,
                }
                for name, run in self.periodic.items()
            },
        }


def inbox_backlog() -> InboxBacklog:
    if inbox_is_postgres():
        # One row per committed group (inbox.py): the backlog is the sum of their sizes, and
        # the oldest click is in the oldest group, groups being written in time order.
        waiting = ClickInbox.objects.aggregate(clicks=Sum("size"))["clicks"] or 0
        first = ClickInbox.objects.order_by("id").first()
        times = (
            [click.at for click in inbox_group_clicks(first.pk, first.clicks, first.payload)]
            if first
            else []
        )
        # And what this node has not shipped yet (a few milliseconds' worth when healthy; other
        # nodes' status shows theirs).
        unshipped = [click.at for click in spool_pending_clicks()]
        first_at = min(times + unshipped, default=None)
        return InboxBacklog("postgresql", waiting + len(unshipped), None, first_at, len(unshipped))
    done = log_checkpoints()
    clicks = files = 0
    oldest: float | None = None
    for path in segments(inbox_directory()):
        in_file = 0
        for record in records(path, done.get(path.name, 0)):
            for row in record.rows:
                in_file += 1
                if oldest is None or row[AT] < oldest:
                    oldest = row[AT]
        clicks += in_file
        files += in_file > 0
    return InboxBacklog("files", clicks, files, oldest)


def queue_pending() -> int | None:
    try:
        return HUEY.pending_count()
    except Exception:  # the queue's store is down: the page says so instead of failing
        return None


def platform_status(now: float | None = None) -> PlatformStatus:
    inbox = inbox_backlog()
    now = now or time.time()
    lag = None if inbox.oldest_at is None else max(0.0, now - inbox.oldest_at)
    return PlatformStatus(inbox, lag, queue_pending(), periodic_runs_latest())
