"""E-mails to people: HTML and plain text, in their language, with a one-click unsubscribe for
their kind (RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers).

A failure that sending again cannot cure (a header or an address the mail library refuses, a
5xx answer of the SMTP server) raises EmailRefused after one log line: callers record it and go
on, instead of retrying. Anything else (server unreachable, 4xx "try again later") is raised as
it is, for the caller to retry."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portevoix.accounts.models import DigestFrequency, Person
from portevoix.core.forms import one_line
from portevoix.notifications.models import Kind

logger = logging.getLogger("portevoix.notifications")

UNSUBSCRIBE_SALT = "portevoix.notifications.unsubscribe"
# Which profile preference each e-mail kind follows.
PREFERENCE_FIELDS: dict[str, str] = {
    Kind.PRIORITY: "notify_priority",
    Kind.CHALLENGE: "notify_challenges",
    Kind.MONTHLY_REPORT: "notify_monthly_report",
    Kind.SUGGESTION: "notify_suggestions",
    Kind.ALERT: "notify_alerts",
}


class EmailRefused(Exception):
    """This e-mail can never be sent as it is: sending it again would fail the same way."""


def failure_is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):  # sender refused, data refused…
        return error.smtp_code >= 500
    # BadHeaderError (a line break in a header) and an invalid address are ValueErrors.
    return isinstance(error, ValueError | UnicodeError)


def _failure_reason(error: Exception) -> str:
    """Names the failure without the addresses that SMTP errors carry (personal data)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in error.recipients.values()})
        return f"recipient refused ({', '.join(map(str, codes))})"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} ({error.smtp_code})"
    return type(error).__name__


def wants_email(person: Person, kind: str) -> bool:
    if not person.is_active or not person.email:
        return False
    if kind == Kind.DIGEST:
        return person.digest_frequency != DigestFrequency.NONE
    field = PREFERENCE_FIELDS.get(kind)
    return True if field is None else bool(getattr(person, field))


def unsubscribe_token(person: Person, kind: str) -> str:
    """Signed with SECRET_KEY: a token cannot be forged to unsubscribe someone else."""
    return signing.dumps({"p": person.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        person_id, kind = int(data["p"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if kind not in Kind.values or kind == Kind.SYSTEM:
        return None
    return person_id, kind


def unsubscribe(*, person: Person, kind: str) -> None:
    if kind == Kind.DIGEST:
        person.digest_frequency = DigestFrequency.NONE
        person.save(update_fields=["digest_frequency"])
    elif kind in PREFERENCE_FIELDS:
        setattr(person, PREFERENCE_FIELDS[kind], False)
        person.save(update_fields=[PREFERENCE_FIELDS[kind]])


def email_send(*, person: Person, kind: str, subject: str, template: str, context: dict) -> bool:
    """Render `<template>.txt` and `<template>.html` in the person's language and send them.
    Returns False (sending nothing) when the person does not want this kind; raises EmailRefused
    when it can never be sent. The subject is made one line whatever it was built from."""
    if not wants_email(person, kind):
        return False
    unsubscribe_url = settings.SITE_URL + reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(person, kind)]
    )
    with translation.override(person.language):
        full_context = {
            **context,
            "person": person,
            "site_url": settings.SITE_URL,
            "organisation": settings.ORGANISATION_NAME,
            "unsubscribe_url": unsubscribe_url if kind != Kind.SYSTEM else "",
        }
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
        subject = one_line(str(subject))
    headers = {}
    if kind != Kind.SYSTEM:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject, text, None, [person.email], headers=headers)
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        if not failure_is_permanent(error):
            raise
        logger.warning(
            "E-mail (%s) to person %s refused for good, not retried: %s",
            kind,
            person.pk,
            _failure_reason(error),
        )
        raise EmailRefused(_failure_reason(error)) from error
    return True
