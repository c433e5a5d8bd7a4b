"""The e-mail that follows an in-app notification, sent by the worker (`tasks.notice_email_task`)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.notifications.emails import EmailRefused, email_send
from portevoix.notifications.models import Notification


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
