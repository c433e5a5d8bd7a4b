"""Telling a person something: in the app always, by e-mail when their preferences say so.
The e-mail leaves from the worker, after the transaction that caused it has committed."""

from __future__ import annotations

from django.db import transaction

from portevoix.accounts.models import Person
from portevoix.notifications.inapp import notify
from portevoix.notifications.models import Notification
from portevoix.notifications.push.delivery import notice_push_queue
from portevoix.notifications.tasks import notice_email_task


def person_notify(
    *,
    person: Person,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: str = "",
    email: bool = True,
) -> Notification:
    """`title` and `body` must already be in the person's language (use `override`).
    `subject` names what it is about, for the sender to find it again (see the model)."""
    notification = notify(
        person=person, kind=kind, title=title, body=body, url=url, subject=subject
    )
    if email:
        transaction.on_commit(lambda: notice_email_task(notification.pk))
    # Web Push to the person's devices: its own task after commit (push/delivery.py).
    notice_push_queue(notification=notification)
    return notification
