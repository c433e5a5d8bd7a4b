"""E-mails to people: HTML and plain text, in their language, with a one-click unsubscribe for
their kind (RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portevoix.accounts.models import DigestFrequency, Person
from portevoix.notifications.models import Kind

UNSUBSCRIBE_SALT = "portevoix.notifications.unsubscribe"
# Which profile preference each e-mail kind follows.
PREFERENCE_FIELDS = {
    Kind.PRIORITY: "notify_priority",
    Kind.CHALLENGE: "notify_challenges",
    Kind.MONTHLY_REPORT: "notify_monthly_report",
    Kind.SUGGESTION: "notify_suggestions",
}


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
    Returns False (sending nothing) when the person does not want this kind."""
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
        subject = str(subject)
    headers = {}
    if kind != Kind.SYSTEM:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject, text, None, [person.email], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
    return True
