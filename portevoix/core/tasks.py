"""The daily retention purge (core/retention.py): every kind of data, with its duration."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portevoix.core.retention import retention_purge


@db_periodic_task(crontab(hour="3", minute="17"))
def retention_purge_daily() -> None:
    retention_purge()
