"""What veille keeps and for how long (core/retention.py): the items read from the sources."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from portevoix.core.retention import RetentionKind, rows_delete_in_chunks
from portevoix.veille.models import Item


def items_older_purge(older_than: datetime) -> int:
    # Their mentions go with them (cascade): the watches' charts cover the last 30 days, far
    # inside the shortest period allowed. Posts drafted from an item stay.
    return rows_delete_in_chunks(Item.objects.filter(fetched_at__lt=older_than))


KINDS = [
    RetentionKind(
        code="veille_items",
        label=_("Veille items"),
        rule=_(
            "Older items read from the sources are deleted with their mentions; posts drafted "
            "from them stay."
        ),
        default_days=365,
        min_days=90,
        max_days=1825,
        purge=items_older_purge,
    ),
]
