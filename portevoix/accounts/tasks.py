"""Background work of accounts: thin wrappers around the services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portevoix.accounts.sessions import sessions_expired_delete


@db_periodic_task(crontab(hour="3", minute="23"))
def delete_expired_sessions() -> None:
    sessions_expired_delete()
