"""What we read back from connected accounts: follower counts (replacing the declared figure),
the engagement of posts we published (for a few weeks), and tokens about to end."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from portevoix.accounts.models import NetworkAccount, Person
from portevoix.connections.connecting import (
    connection_client,
    connection_credentials,
    credentials_of,
)
from portevoix.connections.models import (
    Connection,
    ConnectionStatus,
    EngagementReading,
    Publication,
    PublicationStatus,
)
from portevoix.connections.networks.base import NetworkError, ReconnectNeeded
from portevoix.connections.networks.registry import network_module
from portevoix.connections.publishing import connection_mark_reconnect
from portevoix.connections.signals import connection_expiring
from portevoix.core.secrets import SecretUnreadable


def connection_followers_read(*, connection: Connection, now: datetime | None = None) -> int | None:
    """Read the count, keep it on the connection and in the person's networks (where potential
    reach reads it), marked as read. None when the network does not give it."""
    now = now or timezone.now()
    module = network_module(connection.network)
    client = connection_client(network=connection.network, server=connection.server)
    if module is None or client is None or connection.status != ConnectionStatus.ACTIVE:
        return None
    try:
        credentials = connection_credentials(connection, module=module, client=client, now=now)
        count = module.followers(client=client, credentials=credentials)
    except (ReconnectNeeded, SecretUnreadable):
        connection_mark_reconnect(connection)
        return None
    except NetworkError:
        return None  # read again at the next run
    if count is None:
        return None
    with transaction.atomic():
        connection.followers = count
        connection.followers_read_at = now
        connection.save(update_fields=["followers", "followers_read_at"])
        NetworkAccount.objects.update_or_create(
            person=connection.person,
            network=connection.network,
            defaults={"followers": count, "followers_read_at": now},
        )
    return count


def followers_read_all(*, now: datetime | None = None) -> int:
    read = 0
    for connection in Connection.objects.filter(status=ConnectionStatus.ACTIVE).select_related(
        "person"
    ):
        read += connection_followers_read(connection=connection, now=now) is not None
    return read


def publications_to_read(*, now: datetime) -> QuerySet[Publication]:
    since = now - timedelta(days=settings.CONNECTIONS_ENGAGEMENT_DAYS)
    return Publication.objects.filter(
        status=PublicationStatus.PUBLISHED,
        published_at__gte=since,
        connection__status=ConnectionStatus.ACTIVE,
    ).select_related("connection")


def publication_engagement_read(
    *, publication: Publication, now: datetime | None = None
) -> EngagementReading | None:
    now = now or timezone.now()
    connection = publication.connection
    if connection is None:
        return None
    module = network_module(connection.network)
    client = connection_client(network=connection.network, server=connection.server)
    if module is None or client is None:
        return None
    try:
        credentials = connection_credentials(connection, module=module, client=client, now=now)
        engagement = module.engagement(
            client=client, credentials=credentials, post_id=publication.network_post_id
        )
    except (ReconnectNeeded, SecretUnreadable):
        connection_mark_reconnect(connection)
        return None
    except NetworkError:
        return None
    if engagement is None:
        return None
    return EngagementReading.objects.create(
        publication=publication,
        read_at=now,
        likes=engagement.likes,
        reposts=engagement.reposts,
        replies=engagement.replies,
        impressions=engagement.impressions,
    )


def engagement_read_all(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(
        publication_engagement_read(publication=publication, now=now) is not None
        for publication in publications_to_read(now=now)
    )


def latest_engagement(
    *,
    people: QuerySet[Person] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """Per network, the sum of the latest reading of each published post (likes, reposts,
    replies): the figure the dashboard and my statistics show, with its source."""
    latest = EngagementReading.objects.filter(publication=OuterRef("pk")).order_by(
        "-read_at", "-id"
    )
    publications = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
    if people is not None:
        publications = publications.filter(person__in=people)
    if since is not None:
        publications = publications.filter(published_at__gte=since)
    if until is not None:
        publications = publications.filter(published_at__lt=until)
    publications = publications.annotate(reading=Subquery(latest.values("pk")[:1])).exclude(
        reading=None
    )
    readings = (
        EngagementReading.objects.filter(pk__in=publications.values("reading"))
        .values("publication__network")
        .annotate(likes=Sum("likes"), reposts=Sum("reposts"), replies=Sum("replies"))
        .order_by("publication__network")
    )
    return {
        row["publication__network"]: {
            "likes": row["likes"] or 0,
            "reposts": row["reposts"] or 0,
            "replies": row["replies"] or 0,
        }
        for row in readings
    }


def expiring_connections_warn(*, now: datetime | None = None) -> int:
    """Tokens that end within the warning days: refreshed where the network allows it,
    otherwise the person is told once to reconnect (connection_expiring)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.CONNECTIONS_EXPIRY_WARNING_DAYS)
    warned = 0
    for connection in Connection.objects.filter(
        status=ConnectionStatus.ACTIVE, expires_at__lte=horizon, expiry_warned_at=None
    ).select_related("person"):
        module = network_module(connection.network)
        client = connection_client(network=connection.network, server=connection.server)
        credentials = credentials_of(connection)
        if module is not None and client is not None and credentials.refresh_token:
            try:
                connection_credentials(
                    connection, module=module, client=client, now=now, force=True
                )
                continue
            except NetworkError:
                pass
        connection.expiry_warned_at = now
        connection.save(update_fields=["expiry_warned_at"])
        transaction.on_commit(partial(_expiring_send, connection))
        warned += 1
    return warned


def _expiring_send(connection: Connection) -> None:
    connection_expiring.send(
        sender=Connection, connection=connection, expires_at=connection.expires_at
    )


def connection_expires_soon(connection: Connection, *, now: datetime | None = None) -> bool:
    """The access ends soon and cannot be renewed here. A connection with a refresh token (X,
    Bluesky: access tokens of two hours) is refreshed before use, so its access token's end
    is not the connection's."""
    now = now or timezone.now()
    if bytes(connection.refresh_token_sealed or b""):
        return False
    return connection.expires_at is not None and connection.expires_at <= now + timedelta(
        days=settings.CONNECTIONS_EXPIRY_WARNING_DAYS
    )
