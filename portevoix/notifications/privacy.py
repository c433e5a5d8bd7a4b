"""What notifications hold about a person: their in-app notifications, the digests sent to
them, their devices that receive push notifications, and the challenge announcements that name
them.

A person's own notifications, digest history and devices go with them (cascade). Challenge results are
announced to the other participants and to Slack or Teams with the winners' names: on erasure
those copies keep their place in the text, but the name becomes "Former participant", in the
language the message was written in.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.gamification.models import ChallengeResult
from portevoix.notifications.models import ChannelDelivery, DigestSent, Kind, Notification
from portevoix.notifications.push.models import PushSubscription
from portevoix.notifications.retention import FILE_BACKEND


def _former_participant(language: str) -> str:
    with override(language):
        return _("Former participant")


def export_person(person: Person) -> dict:
    name = person.full_name
    deliveries = (
        ChannelDelivery.objects.filter(text__contains=name).order_by("created_at", "id")
        if name
        else []
    )
    return {
        "notifications": [
            {
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(person=person).order_by("created_at", "id")
        ],
        "digests_sent": [
            {"period": d.period, "sent_at": d.sent_at.isoformat()}
            for d in DigestSent.objects.filter(person=person).order_by("sent_at", "id")
        ],
        "channel_messages_naming_me": [
            {
                "title": d.title,
                "text": d.text,
                "created_at": d.created_at.isoformat(),
                "status": d.status,
            }
            for d in deliveries
            if name in d.text
        ],
        # The endpoint is left out: it is the push service's address for the device, which
        # anyone holding it could post to; the label and dates say which device it is.
        "push_devices": [
            {
                "device": d.device_label,
                "created_at": d.created_at.isoformat(),
                "last_success_at": d.last_success_at.isoformat() if d.last_success_at else None,
            }
            for d in PushSubscription.objects.filter(person=person).order_by("created_at", "id")
        ],
    }


def erase_person(person: Person) -> None:
    _mail_files_erase(person.email)
    # The names announcements showed: the one they have now, and those their challenge results
    # kept from when each challenge closed (they may have been renamed since). Read before
    # gamification's part blanks them (accounts/privacy.py runs it after this one).
    shown = set(ChallengeResult.objects.filter(person=person).values_list("name", flat=True))
    names = sorted({person.full_name, *shown} - {""}, key=len, reverse=True)
    for name in names:
        naming = (
            Notification.objects.filter(kind=Kind.CHALLENGE, body__contains=name)
            .exclude(person=person)
            .select_related("person")
        )
        for notification in naming:
            label = _former_participant(notification.person.language)
            notification.body = notification.body.replace(name, label)
            notification.save(update_fields=["body"])
        label = _former_participant(settings.LANGUAGE_CODE)
        for delivery in ChannelDelivery.objects.filter(text__contains=name):
            delivery.text = delivery.text.replace(name, label)
            delivery.save(update_fields=["text"])


def _mail_files_erase(email: str) -> None:
    """The file back-end (development and demo set-ups) keeps every e-mail sent, with its
    recipient's address, until the outbox's retention: the person's go now (a file the
    back-end filled with several e-mails at once goes whole)."""
    folder = Path(settings.EMAIL_FILE_PATH)
    if settings.EMAIL_BACKEND != FILE_BACKEND or not folder.is_dir():
        return
    wanted = email.casefold().encode()
    for path in folder.iterdir():
        if path.is_file() and wanted in path.read_bytes().lower():
            path.unlink(missing_ok=True)
