"""What the platform announces when a challenge starts or closes (gamification sends
`challenge_started` and `challenge_closed`; `receivers.py` hands them to worker tasks)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.core.zone import time_zone_label
from portevoix.gamification.models import Challenge, Mode
from portevoix.notifications.channels import channel_announce
from portevoix.notifications.models import Kind
from portevoix.notifications.send import person_notify


def _listening() -> QuerySet[Person]:
    """People taking part who keep challenge notifications."""
    return Person.objects.filter(is_active=True, opted_in_at__isnull=False, notify_challenges=True)


def challenge_started_announce(*, challenge: Challenge) -> int:
    """Tell the people the challenge concerns (every ambassador, or its teams' members) that it
    has started. Returns the number of people told."""
    people = _listening()
    if challenge.mode == Mode.TEAM:
        people = people.filter(groups__in=challenge.teams.all()).distinct()
    path = reverse("gamification:challenge", args=[challenge.pk])
    told = 0
    for person in people.iterator(chunk_size=500):
        with override(person.language):
            title = _("A challenge starts: %(title)s") % {"title": challenge.title}
            # The organisation's time, said so: the reader may live in another zone.
            body = _("Until %(end)s (%(zone)s). Reward: %(reward)s") % {
                "end": timezone.localtime(challenge.ends_at).strftime("%Y-%m-%d %H:%M"),
                "zone": time_zone_label(),
                "reward": challenge.reward or "—",
            }
        person_notify(person=person, kind=Kind.CHALLENGE, title=title, body=body, url=path)
        told += 1
    return told


def _winners_text(winners: list[str]) -> str:
    if winners:
        return _("Winners: %(names)s.") % {"names": ", ".join(winners)}
    return _("Nobody reached the minimum this time.")


def challenge_closed_announce(*, challenge: Challenge) -> int:
    """Tell the participants (people ranked, or the members of the teams ranked) who won, and
    send the winners to the channels that follow challenges. Reads the frozen results, so what
    is announced is what the challenge page shows. Returns the number of people told."""
    results = list(challenge.results.all())
    winners = [r.name for r in results if r.winner]
    path = reverse("gamification:challenge", args=[challenge.pk])
    participants = _listening().filter(
        Q(pk__in=[r.person_id for r in results if r.person_id])
        | Q(groups__in=[r.group_id for r in results if r.group_id])
    )
    told = 0
    for person in participants.distinct():
        with override(person.language):
            title = _("Challenge “%(title)s” is over") % {"title": challenge.title}
            body = _winners_text(winners)
        person_notify(person=person, kind=Kind.CHALLENGE, title=title, body=body, url=path)
        told += 1
    with override(settings.LANGUAGE_CODE):
        channel_announce(
            event="challenges",
            title=_("Challenge “%(title)s” is over") % {"title": challenge.title},
            text=_winners_text(winners),
            url=settings.SITE_URL + path,
        )
    return told
