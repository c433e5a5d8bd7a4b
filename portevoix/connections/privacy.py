"""What connections hold about a person, for their data export: the accounts (never a token)
and the publications. Erasure deletes them with the person (cascade); opting out deletes the
connections (receivers.py)."""

from __future__ import annotations

from portevoix.accounts.models import Person
from portevoix.connections.models import Connection, Publication


def export_person(person: Person) -> dict:
    return {
        "connections": [
            {
                "network": c.network,
                "handle": c.handle,
                "account_id": c.account_id,
                "server": c.server,
                "status": c.status,
                "followers": c.followers,
                "followers_read_at": c.followers_read_at.isoformat()
                if c.followers_read_at
                else None,
                "connected_at": c.connected_at.isoformat(),
                "expires_at": c.expires_at.isoformat() if c.expires_at else None,
            }
            for c in Connection.objects.filter(person=person)
        ],
        "publications": [
            {
                "network": p.network,
                "post_id": p.post_id,
                "text": p.text,
                "scheduled_at": p.scheduled_at.isoformat(),
                "status": p.status,
                "published_at": p.published_at.isoformat() if p.published_at else None,
                "network_post_url": p.network_post_url,
                "problem": p.problem,
                # What the network said people did with it, at each reading.
                "engagement_readings": [
                    {
                        "read_at": r.read_at.isoformat(),
                        "likes": r.likes,
                        "reposts": r.reposts,
                        "replies": r.replies,
                        "impressions": r.impressions,
                    }
                    for r in p.engagement_readings.order_by("read_at", "id")
                ],
            }
            for p in Publication.objects.filter(person=person).order_by("scheduled_at", "id")
        ],
    }


def erase_person(person: Person) -> None:
    """Tokens are revoked where the network allows it before the rows go with the person."""
    from portevoix.connections.connecting import connection_disconnect

    for connection in Connection.objects.filter(person=person):
        connection_disconnect(connection=connection, actor=None)
