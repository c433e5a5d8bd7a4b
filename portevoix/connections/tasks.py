"""The worker's side of connected accounts: thin wrappers around publishing.py and
readings.py."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portevoix.connections.publishing import publication_attempt, publications_publish_due
from portevoix.connections.readings import (
    engagement_read_all,
    expiring_connections_warn,
    followers_read_all,
)


@db_task()
def publication_publish(publication_id: int) -> str:
    """Publish now (queued by the share page)."""
    return publication_attempt(publication_id=publication_id)


@db_periodic_task(crontab(minute="*"))
def publications_due_publish() -> int:
    """Scheduled publications whose time (or retry) has come."""
    return publications_publish_due()


@db_periodic_task(crontab(minute="17", hour="*/6"))
def followers_read() -> int:
    return followers_read_all()


@db_periodic_task(crontab(minute="41", hour="*/6"))
def engagement_read() -> int:
    return engagement_read_all()


@db_periodic_task(crontab(minute="5", hour="9"))
def expiring_warn() -> int:
    return expiring_connections_warn()
