"""Worker tasks for Web Push; registered by notifications/tasks.py, which imports this module."""

from huey.contrib.djhuey import db_task

from portevoix.notifications.models import Notification
from portevoix.notifications.push.delivery import push_send, wants_push
from portevoix.notifications.push.models import PushSubscription


@db_task()
def notice_push_task(notification_id: int) -> None:
    """One delivery task per device, so a failing device is retried alone."""
    notification = Notification.objects.select_related("person").filter(pk=notification_id).first()
    if notification is None or not wants_push(notification.person, notification.kind):
        return
    for device_id in PushSubscription.objects.filter(person=notification.person_id).values_list(
        "pk", flat=True
    ):
        push_device_task(notification_id, device_id)


@db_task(retries=3, retry_delay=60)
def push_device_task(notification_id: int, device_id: int) -> None:
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        return
    # Still the person's device: one taken over by someone else since (the same browser, another
    # account) must not receive this notice, even on a retry minutes later.
    device = PushSubscription.objects.filter(pk=device_id, person=notification.person_id).first()
    if device is not None:
        push_send(notification=notification, subscription=device)
