from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portevoix.notifications.channels import deliveries_send_due


@db_periodic_task(crontab(minute="*"))
def deliver_channel_messages() -> None:
    deliveries_send_due()
