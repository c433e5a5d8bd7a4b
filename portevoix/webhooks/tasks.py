"""The worker's side of webhooks: thin wrappers around the outbox."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portevoix.webhooks.outbox import deliveries_send_due


@db_task()
def deliver_webhooks_soon() -> None:
    """Queued after the commit that stored new deliveries, so they leave within seconds."""
    deliveries_send_due()


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks() -> None:
    """Retries whose time has come (and anything a stopped worker left)."""
    deliveries_send_due()
