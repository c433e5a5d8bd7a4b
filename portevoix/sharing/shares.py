"""Sharing a post: who may, what text may go, and the record of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.accounts.participation import sharing_block_reason
from portevoix.content.compliance import compliance_problems
from portevoix.content.models import Post
from portevoix.sharing.archive import archive_record
from portevoix.sharing.limits import URL_PATTERN
from portevoix.sharing.models import Share
from portevoix.sharing.pacing import daily_limit_problem
from portevoix.sharing.selectors import visible_posts
from portevoix.sharing.signals import share_confirmed, share_created
from portevoix.sharing.targets import TARGETS, ShareTarget, target_for
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import TrackedLink

MAX_TEXT_LENGTH = 5000


class ShareError(Exception):
    """A share refused, with every reason in words for the ambassador."""

    def __init__(self, *reasons: str) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


@dataclass
class ShareResult:
    share: Share
    target: ShareTarget
    share_url: str
    clipboard_text: str


def share_block_reason(*, person: Person, post: Post) -> str | None:
    """Why this person cannot share this post at all; None when they can."""
    if reason := sharing_block_reason(person):
        return reason
    if not post.is_shareable:
        return _("This is an internal announcement: it is for reading, not for sharing.")
    if person.is_alumni and not post.open_to_alumni:
        return _("This post is for employees only.")
    return None


def share_text_problems(*, target: ShareTarget, text: str, link_url: str) -> list[str]:
    problems = compliance_problems(text)
    if len(text) > MAX_TEXT_LENGTH:
        problems.append(_("This text is far too long."))
    elif problem := target.length_problem(text, link_url):
        problems.append(problem)
    return problems


def text_fingerprint(text: str) -> str:
    """Ignoring case, spacing and links: « Super  NEWS https://a » = « super news »."""
    words = " ".join(URL_PATTERN.sub(" ", text).casefold().split())
    return hashlib.sha256(words.encode()).hexdigest() if words else ""


def colleagues_with_same_text(*, person: Person, text: str) -> int:
    """How many other people already shared exactly this text (any post)."""
    fingerprint = text_fingerprint(text)
    if not fingerprint:
        return 0
    return (
        Share.objects.filter(fingerprint=fingerprint, person__isnull=False)
        .exclude(person=person)
        .values("person")
        .distinct()
        .count()
    )


def authenticity_nudge(*, person: Person, text: str) -> int | None:
    """The number of colleagues to mention when this text is a mass copy; None otherwise."""
    count = colleagues_with_same_text(person=person, text=text)
    return count if count >= settings.AUTHENTICITY_NUDGE_COLLEAGUES else None


def share_create(
    *, person: Person, post: Post, network: str, text: str, now: datetime | None = None
) -> ShareResult:
    """Record the share and build the network's share URL around the person's tracked link."""
    now = now or timezone.now()
    if not visible_posts(person=person, now=now).filter(pk=post.pk).exists():
        raise ShareError(_("This post is not in your feed."))
    if reason := share_block_reason(person=person, post=post):
        raise ShareError(reason)
    if network not in TARGETS:
        raise ShareError(_("Sharing to this network is not possible."))
    target = target_for(network, person=person)
    if not target.is_ready:
        raise ShareError(_("Tell us your Mastodon instance first."))
    if problem := daily_limit_problem(person=person, network=network, at=now):
        raise ShareError(problem)
    text = text.strip().replace("\r\n", "\n")
    with transaction.atomic():
        link = tracked_link_for(post=post, ambassador=person, network=network)
        if problems := share_text_problems(target=target, text=text, link_url=link.short_url):
            raise ShareError(*problems)  # leaving the block undoes a link created just now
        share = Share.objects.create(
            post=post,
            person=person,
            network=network,
            text=text,
            fingerprint=text_fingerprint(text),
            tracked_link=link,
            created_at=now,
        )
        archive_record(share)
        transaction.on_commit(lambda: share_created.send(sender=Share, share=share))
    return ShareResult(
        share=share,
        target=target,
        share_url=target.share_url(text, link.short_url, subject=post.display_title),
        clipboard_text=target.clipboard_text(text, link.short_url),
    )


def share_prepare(
    *, person: Person, post: Post, network: str, text: str, now: datetime | None = None
) -> tuple[str, TrackedLink]:
    """What the share page checks, for a share another app sends for the person (a connected
    publication): may they share this post, is the text allowed and not too long. Returns the
    text as it will go and the person's tracked link (the posted text gets the link added)."""
    now = now or timezone.now()
    if not visible_posts(person=person, now=now).filter(pk=post.pk).exists():
        raise ShareError(_("This post is not in your feed."))
    if reason := share_block_reason(person=person, post=post):
        raise ShareError(reason)
    if network not in TARGETS:
        raise ShareError(_("Sharing to this network is not possible."))
    text = text.strip().replace("\r\n", "\n")
    with transaction.atomic():
        link = tracked_link_for(post=post, ambassador=person, network=network)
        problems = share_text_problems(
            target=target_for(network, person=person), text=text, link_url=link.short_url
        )
        if problems:
            raise ShareError(*problems)
    return text, link


def share_record_confirmed(
    *, person: Person, post: Post, network: str, text: str, link: TrackedLink, at: datetime
) -> Share:
    """A share the network confirmed it published (a connected publication): recorded and
    archived like a share-page share, and announced as confirmed, which earns its points now
    rather than at the first verified click."""
    with transaction.atomic():
        share = Share.objects.create(
            post=post,
            person=person,
            network=network,
            text=text,
            fingerprint=text_fingerprint(text),
            tracked_link=link,
            created_at=at,
        )
        archive_record(share)
        transaction.on_commit(lambda: share_created.send(sender=Share, share=share))
        transaction.on_commit(lambda: share_confirmed.send(sender=Share, share=share))
    return share


def person_set_mastodon_instance(*, person: Person, instance: str) -> None:
    """Asked on the share page when the profile lacks it; kept in the profile."""
    person.mastodon_instance = instance
    person.save(update_fields=["mastodon_instance"])
