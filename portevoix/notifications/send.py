"""Telling a person something: in the app always, by e-mail when their preferences say so.
The e-mail leaves from the worker, after the transaction that caused it has committed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.notifications.emails import EmailRefused, email_send
from portevoix.notifications.inapp import notify
from portevoix.notifications.models import Notification
from portevoix.notifications.push.delivery import notice_push_queue


def person_notify(
    *, person: Person, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    """`title` and `body` must already be in the person's language (use `override`)."""
    notification = notify(person=person, kind=kind, title=title, body=body, url=url)
    if email:
        # Imported here: tasks.py imports this module (the worker only registers tasks.py).
        from portevoix.notifications.tasks import notice_email_task

        transaction.on_commit(lambda: notice_email_task(notification.pk))
    # Web Push to the person's devices: its own task after commit (push/delivery.py).
    notice_push_queue(notification=notification)
    return notification


def notice_email_send(*, notification: Notification) -> bool:
    """False when nothing was sent: not wanted, or refused for good (logged once by email_send;
    the task is not retried). A failure that may pass raises, and the task retries."""
    person = notification.person
    url = notification.url
    if url.startswith("/"):
        url = settings.SITE_URL + url
    with override(person.language):
        label = _("Open in Portevoix")
    try:
        return email_send(
            person=person,
            kind=notification.kind,
            subject=notification.title,
            template="notifications/email/notice",
            context={
                "title": notification.title,
                "body": notification.body,
                "url": url,
                "link_label": label,
            },
        )
    except EmailRefused:
        return False
