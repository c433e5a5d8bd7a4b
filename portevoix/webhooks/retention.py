"""What webhooks keep and for how long (core/retention.py): the delivery log."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from portevoix.core.retention import RetentionKind, rows_delete_in_chunks
from portevoix.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent


def deliveries_older_purge(older_than: datetime) -> int:
    # Deliveries still being retried stay; an event goes once none of its deliveries is left.
    removed = rows_delete_in_chunks(
        WebhookDelivery.objects.filter(created_at__lt=older_than).exclude(
            status=DeliveryStatus.PENDING
        )
    )
    rows_delete_in_chunks(
        WebhookEvent.objects.filter(created_at__lt=older_than, deliveries__isnull=True)
    )
    return removed


KINDS = [
    RetentionKind(
        code="webhook_deliveries",
        label=_("Webhook deliveries"),
        rule=_(
            "Older deliveries (with their attempts) and the events they carried are deleted; "
            "deliveries still being retried stay."
        ),
        default_days=90,
        min_days=7,
        max_days=365,
        purge=deliveries_older_purge,
    ),
]
