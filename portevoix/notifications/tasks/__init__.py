"""The worker's periodic sending and the notice e-mail. Announcements have their own tasks
(`tasks/announcements.py`, registered when `receivers.py` imports it at start-up): they call
`person_notify`, which queues the task below, so this module does not import them (no cycle)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portevoix.notifications.channels import deliveries_send_due
from portevoix.notifications.digests import digests_send_due
from portevoix.notifications.models import Notification
from portevoix.notifications.notices import notice_email_send
from portevoix.notifications.reports import monthly_reports_send_due


@db_periodic_task(crontab(minute="*"))
def deliver_channel_messages() -> None:
    deliveries_send_due()


@db_periodic_task(crontab(minute="*/15"))
def send_due_digests() -> None:
    digests_send_due()


@db_periodic_task(crontab(minute="*/15"))
def send_due_monthly_reports() -> None:
    monthly_reports_send_due()


@db_task(retries=3, retry_delay=60)
def notice_email_task(notification_id: int) -> None:
    notification = Notification.objects.select_related("person").filter(pk=notification_id).first()
    if notification is not None:
        notice_email_send(notification=notification)


# Registers the Web Push tasks with the worker (which only imports each app's tasks.py).
from portevoix.notifications.push import tasks as push_tasks  # noqa: E402,F401
