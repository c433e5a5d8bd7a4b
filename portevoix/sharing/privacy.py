"""What sharing holds about a person, for their data export; on erasure their shares stay for
the aggregate counts, without them and without their words (see signals.py)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.sharing.models import Share


def export_person(person: Person) -> dict:
    shares = Share.objects.filter(person=person).select_related("post", "tracked_link")
    return {
        "shares": [
            {
                "at": share.created_at.isoformat(),
                "post_id": share.post_id,
                "post_title": share.post.title,
                "network": share.network,
                "text": share.text,
                "tracked_link": share.tracked_link.short_url if share.tracked_link else "",
            }
            for share in shares.order_by("created_at", "id")
        ]
    }
