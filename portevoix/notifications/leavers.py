"""A leaver's personal-brand file: sent by e-mail just before their account is deactivated,
while they can still receive e-mail (emails.wants_email refuses inactive people)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.analytics.brand_export import LINK_DAYS, brand_export_link
from portevoix.notifications.emails import EmailRefused, email_send
from portevoix.notifications.models import Kind

logger = logging.getLogger(__name__)


def brand_export_offer(*, person: Person) -> bool:
    """E-mail the person the link to their file; False when nothing could be sent. Never
    raises: a mail server that is down must not stop a deactivation (it is logged). Someone
    invited who never came in has nothing to take: they get nothing."""
    if person.activated_at is None:
        return False
    with override(person.language):
        title = _("Your personal-brand file from the ambassador programme")
        body = _(
            "Your account is being closed. Your shares, the clicks and reach they brought, "
            "your badges and challenge results are yours to keep: download them as a file "
            "within %(days)d days with the link below (no log-in needed)."
        ) % {"days": LINK_DAYS}
        label = _("Download my personal-brand file")
    try:
        return email_send(
            person=person,
            kind=Kind.SYSTEM,
            subject=title,
            template="notifications/email/notice",
            context={
                "title": title,
                "body": body,
                "url": brand_export_link(person),
                "link_label": label,
            },
        )
    except EmailRefused:
        return False
    except Exception:
        logger.exception("The personal-brand file of person %s could not be offered", person.pk)
        return False
