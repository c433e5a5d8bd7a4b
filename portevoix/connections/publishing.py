"""Publishing a share through a connected account, now or at its time: the pacing checks when
it is asked, and the worker's attempt (the person and the post checked again, cancelled when
the share may no longer go; retries with back-off on transient failures, honouring
Retry-After; "reconnect" on refused credentials; never posted twice)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.connections.connecting import connection_client, connection_credentials
from portevoix.connections.models import (
    Connection,
    ConnectionStatus,
    Publication,
    PublicationStatus,
)
from portevoix.connections.networks.base import (
    LinkCard,
    PublishRequest,
    ReconnectNeeded,
    Refused,
    TransientError,
)
from portevoix.connections.networks.registry import network_module
from portevoix.connections.signals import connection_needs_reconnect
from portevoix.content.models import Post
from portevoix.core.secrets import SecretUnreadable
from portevoix.sharing.pacing import (
    daily_limit_problem,
    day_bounds,
    next_sharing_hour,
    organisation_day,
    sharing_hours_label,
    sharing_rules,
    within_sharing_hours,
)
from portevoix.sharing.selectors import visible_posts
from portevoix.sharing.shares import (
    ShareError,
    share_block_reason,
    share_prepare,
    share_record_confirmed,
)

PENDING = (PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHING)
SPREAD = (PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHING, PublicationStatus.PUBLISHED)
MAX_BACKOFF = timedelta(hours=6)


class PublishError(Exception):
    """A publication refused, with every reason in words for the person."""

    def __init__(self, *reasons: str) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


class ConfirmationNeeded(PublishError):
    """Publishing now goes against the sharing hours or the hourly spread: allowed once the
    person confirms."""


def active_connection(*, person: Person, network: str) -> Connection | None:
    return Connection.objects.filter(
        person=person, network=network, status=ConnectionStatus.ACTIVE
    ).first()


def _hour_start(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def post_publications_in_hour(*, post: Post, at: datetime) -> int:
    start = _hour_start(at)
    return Publication.objects.filter(
        post=post,
        status__in=SPREAD,
        scheduled_at__gte=start,
        scheduled_at__lt=start + timedelta(hours=1),
    ).count()


def hour_full_problem(*, post: Post, at: datetime) -> str | None:
    limit = sharing_rules().post_hour_limit
    if limit and post_publications_in_hour(post=post, at=at) >= limit:
        return _(
            "%(count)d colleagues already publish this post in that hour: choose another time or let us pick a good time."
        ) % {"count": limit}
    return None


def publication_good_time(*, post: Post, after: datetime) -> datetime | None:
    """The next moment in the sharing hours whose hour still has room for this post, spread
    inside the hour after the colleagues already there."""
    rules = sharing_rules()
    step = 60 // (rules.post_hour_limit or 6)
    candidate = next_sharing_hour(after, rules)
    for _hour in range(24 * 8):
        if candidate is None:
            return None
        if within_sharing_hours(candidate, rules):
            count = post_publications_in_hour(post=post, at=candidate)
            if not rules.post_hour_limit or count < rules.post_hour_limit:
                moment = _hour_start(candidate) + timedelta(minutes=(count * step) % 60)
                return max(moment, candidate)
        candidate = _hour_start(candidate) + timedelta(hours=1)
    return None


def pending_on_day(*, person: Person, network: str, at: datetime) -> int:
    start, end = day_bounds(organisation_day(at))
    return Publication.objects.filter(
        person=person,
        network=network,
        status__in=PENDING,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    ).count()


def publication_schedule(
    *,
    person: Person,
    post: Post,
    network: str,
    text: str,
    at: datetime | None = None,
    good_time: bool = False,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Publication:
    """Publish now (`at` None), at a time, or at a good time. The text is checked as the share
    page checks it; the pacing rules apply (asked to confirm for "now")."""
    now = now or timezone.now()
    connection = active_connection(person=person, network=network)
    if connection is None:
        raise PublishError(_("Connect this network from your profile first."))
    try:
        text, link = share_prepare(person=person, post=post, network=network, text=text, now=now)
    except ShareError as error:
        raise PublishError(*error.reasons) from None
    if good_time:
        found = publication_good_time(post=post, after=now + timedelta(minutes=1))
        if found is None:
            raise PublishError(_("No sharing hour is open in the coming week."))
        at = found
    elif at is not None:
        if at <= now:
            raise PublishError(_("This time has already passed: choose a time to come."))
        if not within_sharing_hours(at):
            raise PublishError(
                _("This time is outside the sharing hours (%(hours)s).")
                % {"hours": sharing_hours_label()}
            )
        if problem := hour_full_problem(post=post, at=at):
            raise PublishError(problem)
    else:
        at = now
        reasons = []
        if not within_sharing_hours(now):
            reasons.append(
                _("It is outside the sharing hours (%(hours)s).") % {"hours": sharing_hours_label()}
            )
        if problem := hour_full_problem(post=post, at=now):
            reasons.append(problem)
        if reasons and not confirmed:
            raise ConfirmationNeeded(*reasons)
    pending = pending_on_day(person=person, network=network, at=at)
    if problem := daily_limit_problem(person=person, network=network, at=at, pending=pending):
        raise PublishError(problem)
    return Publication.objects.create(
        person=person,
        connection=connection,
        post=post,
        network=network,
        text=text,
        tracked_link=link,
        scheduled_at=at,
        next_attempt_at=at,
        idempotency_key=secrets.token_hex(16),
    )


def publication_cancel(*, publication: Publication, person: Person) -> bool:
    """Until it goes out: a publication already being sent cannot be called back."""
    return bool(
        Publication.objects.filter(
            pk=publication.pk, person=person, status=PublicationStatus.SCHEDULED
        ).update(status=PublicationStatus.CANCELLED)
    )


def publications_due(*, now: datetime) -> QuerySet[Publication]:
    return Publication.objects.filter(
        status=PublicationStatus.SCHEDULED, next_attempt_at__lte=now
    ).order_by("next_attempt_at")


def publications_publish_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The worker's round: every publication whose time (or retry) has come. Returns how many
    went out."""
    now = now or timezone.now()
    ids = list(publications_due(now=now).values_list("pk", flat=True)[:limit])
    return sum(
        publication_attempt(publication_id=pk, now=now) == PublicationStatus.PUBLISHED for pk in ids
    )


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


def publication_block_reason(*, publication: Publication, now: datetime) -> str | None:
    """Why a publication may no longer go out, in words for its person; None when it may.
    What scheduling checked (`share_prepare`), checked again at its time: since then the person
    may have been deactivated, made alumni or opted out, and the post archived, sent back to
    draft, expired or aimed at others."""
    person, post = publication.person, publication.post
    if reason := share_block_reason(person=person, post=post):
        return reason
    if not visible_posts(person=person, now=now).filter(pk=post.pk).exists():
        return _("This post is no longer in your feed: nothing was published.")
    return None


def publication_attempt(*, publication_id: int, now: datetime | None = None) -> str:
    """One attempt, for the worker. The row is claimed (PUBLISHING) under a lock before the
    network is called, so a second worker or a task run twice finds nothing to do, and a
    publication that went out is never sent again, whatever the network does with the
    Idempotency-Key. A publication the person or its post no longer allows is cancelled
    without calling the network. Returns the status it ends in.

    The problem is kept in words, in the person's language: they read it on their pages."""
    now = now or timezone.now()
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update()
            .filter(pk=publication_id, status=PublicationStatus.SCHEDULED, next_attempt_at__lte=now)
            .first()
        )
        if publication is None:
            return ""
        with translation.override(publication.person.language):
            if reason := publication_block_reason(publication=publication, now=now):
                return _end(publication, PublicationStatus.CANCELLED, reason)
        publication.status = PublicationStatus.PUBLISHING
        publication.attempts += 1
        publication.save(update_fields=["status", "attempts"])
    with translation.override(publication.person.language):
        return _attempt(publication, now=now)


def _attempt(publication: Publication, *, now: datetime) -> str:
    """The network called for a claimed publication, and the status it ends in."""
    try:
        published = _publish(publication, now=now)
    except TransientError as error:
        if publication.attempts >= settings.CONNECTIONS_MAX_ATTEMPTS:
            return _end(publication, PublicationStatus.FAILED, error.detail)
        wait = backoff(publication.attempts)
        if error.retry_after is not None:
            wait = max(wait, timedelta(seconds=error.retry_after))
        publication.status = PublicationStatus.SCHEDULED
        publication.next_attempt_at = now + wait
        publication.problem = error.detail[:400]
        publication.save(update_fields=["status", "next_attempt_at", "problem"])
        return publication.status
    except ReconnectNeeded as error:
        if publication.connection is not None:
            connection_mark_reconnect(publication.connection)
        return _end(publication, PublicationStatus.FAILED, error.detail)
    except Refused as error:
        return _end(publication, PublicationStatus.FAILED, error.detail)
    except (KeyError, TypeError, ValueError):
        # An answer we cannot read: the post may exist, so it is not sent again.
        return _end(
            publication,
            PublicationStatus.FAILED,
            _(
                "The network's answer was not understood: the post may be out, "
                "so it is not sent again."
            ),
        )
    publication.status = PublicationStatus.PUBLISHED
    publication.network_post_id = published.post_id
    publication.network_post_url = published.url
    publication.published_at = now
    publication.problem = ""
    publication.share = share_record_confirmed(
        person=publication.person,
        post=publication.post,
        network=publication.network,
        text=publication.text,
        link=publication.tracked_link,
        at=now,
    )
    publication.save()
    return publication.status


def _end(publication: Publication, status: str, problem: str) -> str:
    publication.status = status
    publication.problem = problem[:400]
    publication.save(update_fields=["status", "problem"])
    return status


def _publish(publication: Publication, *, now: datetime):
    connection = publication.connection
    if connection is None or connection.status != ConnectionStatus.ACTIVE:
        raise ReconnectNeeded(_("The connection is gone or needs reconnecting."))
    module = network_module(connection.network)
    client = connection_client(network=connection.network, server=connection.server)
    if module is None or client is None:
        raise Refused(_("This network can no longer be used here."))
    try:
        credentials = connection_credentials(connection, module=module, client=client, now=now)
    except SecretUnreadable:
        raise ReconnectNeeded(
            _("The stored token can no longer be read: connect this network again.")
        ) from None
    post = publication.post
    request = PublishRequest(
        text=publication.text,
        link=LinkCard(
            url=publication.tracked_link.short_url,
            title=post.display_title,
            description=post.preview_description,
        ),
        idempotency_key=publication.idempotency_key,
    )
    try:
        return module.publish(client=client, credentials=credentials, request=request)
    except ReconnectNeeded:
        if not credentials.refresh_token:
            raise
        # A token refused before its announced end: one refresh, then one more try (a 401
        # means nothing was posted).
        credentials = connection_credentials(
            connection, module=module, client=client, now=now, force=True
        )
        return module.publish(client=client, credentials=credentials, request=request)


def connection_mark_reconnect(connection: Connection) -> None:
    if connection.status == ConnectionStatus.RECONNECT:
        return
    connection.status = ConnectionStatus.RECONNECT
    connection.save(update_fields=["status"])
    transaction.on_commit(
        lambda: connection_needs_reconnect.send(sender=Connection, connection=connection)
    )
