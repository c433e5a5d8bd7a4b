"""What notifications keep and for how long (core/retention.py): the in-app notifications, and
the outbox — messages to Slack and Teams channels once sent or given up, the record of digests
sent, and the e-mails the file back-end keeps (development and demo set-ups)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portevoix.core.retention import RetentionKind, rows_delete_in_chunks
from portevoix.notifications.models import (
    ChannelDelivery,
    DeliveryStatus,
    DigestSent,
    Notification,
)

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def notifications_older_purge(older_than: datetime) -> int:
    return rows_delete_in_chunks(Notification.objects.filter(created_at__lt=older_than))


def outbox_older_purge(older_than: datetime) -> int:
    # A message still waiting for its channel stays, however old: it has not been sent yet.
    removed = rows_delete_in_chunks(
        ChannelDelivery.objects.filter(created_at__lt=older_than).exclude(
            status=DeliveryStatus.PENDING
        )
    )
    removed += rows_delete_in_chunks(DigestSent.objects.filter(sent_at__lt=older_than))
    if settings.EMAIL_BACKEND == FILE_BACKEND:
        removed += _mail_files_purge(Path(settings.EMAIL_FILE_PATH), older_than)
    return removed


def _mail_files_purge(folder: Path, older_than: datetime) -> int:
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < older_than.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


KINDS = [
    RetentionKind(
        code="notifications",
        label=_("In-app notifications"),
        rule=_("Older notifications are deleted, read or not."),
        default_days=180,
        min_days=30,
        max_days=730,
        purge=notifications_older_purge,
    ),
    RetentionKind(
        code="outbox",
        label=_("Outbox: channel messages, digests sent, e-mail files"),
        rule=_(
            "Older messages sent to Slack and Teams (or given up), records of digests sent and "
            "e-mail files are deleted; messages still waiting stay."
        ),
        default_days=90,
        min_days=7,
        max_days=365,
        purge=outbox_older_purge,
    ),
]
