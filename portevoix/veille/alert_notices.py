"""Veille alerts reach the pilot team as notifications: in the app for every editor and admin,
by e-mail for those who keep `notify_alerts` (with the unsubscribe link and the retries of every
notification e-mail). The alerts page reads its unread marks from those notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person, Role
from portevoix.accounts.scopes import scope_of
from portevoix.notifications.inapp import notifications_mark_read, unread_subjects
from portevoix.notifications.models import Kind
from portevoix.notifications.send import person_notify
from portevoix.veille.models import Alert, AlertKind
from portevoix.veille.selectors import alerts_visible


def pilot_team() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.EDITOR])


def alert_subject(alert_id: int) -> str:
    return f"veille-alert:{alert_id}"


def alert_title(alert: Alert) -> str:
    """In the active language."""
    if alert.kind == AlertKind.NEGATIVE_RISE:
        assert alert.watch is not None  # a rise is a watch's; a pause, a source's
        return _("Veille: negative mentions are rising for “%(watch)s”") % {
            "watch": alert.watch.name
        }
    assert alert.source is not None
    return _("Veille: the source “%(source)s” is paused") % {"source": alert.source.name}


def alert_body(alert: Alert) -> str:
    """In the active language: what happened, and what comes next."""
    if alert.kind == AlertKind.NEGATIVE_RISE:
        assert alert.watch is not None  # a rise is a watch's; a pause, a source's
        lines = [
            _("%(count)s negative mentions of “%(watch)s” in the last %(hours)s hours.")
            % {
                "count": alert.negative_count,
                "watch": alert.watch.name,
                "hours": alert.window_hours,
            }
        ]
        if alert.usual_count:
            usual = number_format(alert.usual_count, decimal_pos=1)
            lines.append(_("Usually: %(usual)s in the same time.") % {"usual": usual})
        lines.append(
            _(
                "You will not be alerted again for this watch until negative mentions fall "
                "back below the rule."
            )
        )
        return "\n".join(lines)
    assert alert.source is not None
    return "\n".join(
        [
            _("The source “%(source)s” failed too many times in a row and is paused.")
            % {"source": alert.source.name},
            _("Last error: %(error)s") % {"error": alert.error},
            _("Check its address, then resume it from the sources page."),
        ]
    )


def alert_notify(*, alert: Alert) -> int:
    """Tell every editor and admin, each in their own language. Returns how many were told."""
    path = reverse("veille:alerts")
    told = 0
    for person in pilot_team().iterator(chunk_size=500):
        # A scoped editor hears of their own scope's veille only (veille/selectors.py).
        if not scope_of(person).is_whole and not alerts_visible(person).filter(pk=alert.pk):
            continue
        with override(person.language):
            title, body = alert_title(alert), alert_body(alert)
        person_notify(
            person=person,
            kind=Kind.ALERT,
            title=title,
            body=body,
            url=path,
            subject=alert_subject(alert.pk),
        )
        told += 1
    return told


def alerts_unread(*, person: Person, alert_ids: list[int]) -> set[int]:
    """Which of these alerts the person has not read (an alert they were never told about,
    such as one from before they joined the pilot team, is not marked)."""
    unread = unread_subjects(person=person, subjects=[alert_subject(pk) for pk in alert_ids])
    return {pk for pk in alert_ids if alert_subject(pk) in unread}


def alerts_mark_read(*, person: Person) -> int:
    return notifications_mark_read(person=person, kind=Kind.ALERT)
