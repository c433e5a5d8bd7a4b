"""The e-mail digest of content to share: daily or weekly, at the hour the admin set, in each
person's time zone, with the posts that target them and that they have not shared yet."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import DigestFrequency, Person
from portevoix.content.models import Post
from portevoix.notifications.emails import EmailRefused, email_send
from portevoix.notifications.models import DigestSent, Kind, NotificationSettings
from portevoix.sharing.models import Share
from portevoix.sharing.selectors import followed_topic_ids, rank_for_person, visible_posts

DIGEST_SIZE = 5
PERIOD_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}


def _zone(person: Person) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def digest_period(*, person: Person, now: datetime, config: NotificationSettings) -> str | None:
    """The period this person's digest is due for now ("2026-11-27" or "2026-W48"), or None
    when it is not time yet (before the hour, or not the weekly day)."""
    local = now.astimezone(_zone(person))
    if local.hour < config.digest_hour:
        return None
    if person.digest_frequency == DigestFrequency.DAILY:
        return local.date().isoformat()
    if (
        person.digest_frequency == DigestFrequency.WEEKLY
        and local.weekday() == config.weekly_digest_day
    ):
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def digest_posts(*, person: Person, now: datetime) -> list[Post]:
    """New since the previous digest, targeting the person, not shared by them; in the feed's
    order (priority, then the topics they follow, then newest)."""
    since = now - timedelta(days=PERIOD_DAYS[DigestFrequency(person.digest_frequency)])
    posts = (
        visible_posts(person=person, now=now)
        .filter(published_at__gte=since)
        .exclude(Exists(Share.objects.filter(post_id=OuterRef("pk"), person=person)))
    )
    return list(rank_for_person(posts, topic_ids=followed_topic_ids(person=person))[:DIGEST_SIZE])


def digest_send(*, person: Person, period: str, now: datetime) -> bool:
    """Claim the period, then send. The claim comes first so that a worker restarting mid-run
        never sends a period twice; if sending fails the claim is released for the next run, unless
    the e-mail was refused for good (trying again every quarter of an hour would not cure it)."""
    posts = digest_posts(person=person, now=now)
    if not posts:
        return False
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(person=person, period=period)
    except IntegrityError:
        return False
    with override(person.language):
        subject = _("Your selection to share")
    items = [
        {"post": post, "url": settings.SITE_URL + reverse("sharing:share", args=[post.pk])}
        for post in posts
    ]
    try:
        sent = email_send(
            person=person,
            kind=Kind.DIGEST,
            subject=subject,
            template="notifications/email/digest",
            context={"items": items, "subject": subject},
        )
    except EmailRefused:
        return False  # the claim stays: an address refused for good is not tried again
    except Exception:
        claim.delete()
        raise
    if not sent:
        claim.delete()
    return sent


def digests_send_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    config = NotificationSettings.current()
    people = Person.objects.filter(
        is_active=True, opted_in_at__isnull=False, digest_frequency__in=list(PERIOD_DAYS)
    )
    sent = 0
    for person in people.iterator(chunk_size=500):
        period = digest_period(person=person, now=now, config=config)
        if period is None or DigestSent.objects.filter(person=person, period=period).exists():
            continue
        sent += digest_send(person=person, period=period, now=now)
    return sent
