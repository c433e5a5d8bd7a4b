"""Keep the share activity (activity.py) in step with the shares and the network accounts, in
the same transaction; and forget the kept dashboard tables whenever something they show changes,
once that change has committed (a page computed before the commit must not be kept under the
new version)."""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from portevoix.accounts.models import NetworkAccount, Person
from portevoix.analytics.activity import activity_rebuild, followers_copy, share_count_rebuild
from portevoix.analytics.dashboard import clicks_cache_bump, programme_cache_bump
from portevoix.content.models import Campaign, Post
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.signals import clicks_ingested, conversion_recorded
from portevoix.tracking.visitors import local_day

# What of a person the dashboard shows or counts: name (rankings), ranking visibility, opt-in,
# activation. A save of other fields (last_login at every log-in) keeps the tables.
PERSON_FIELDS_SHOWN = frozenset(
    {"full_name", "hide_from_rankings", "opted_in_at", "opted_out_at", "is_active", "activated_at"}
)


# Whether this thread's changes asked for a bump that has not happened yet.
_pending = threading.local()


def _forget_after_commit() -> None:
    """One bump when the transaction commits, however many changes asked for it: erasing a
    person deletes each of their tracked links, and each deletion asks. Every change sets the
    flag and adds a callback; the first callback to run after a commit bumps and lowers the
    flag, the others find it lowered. A rolled-back transaction's callbacks never run and
    leave the flag raised: the next commit that asks bumps, as it would anyway."""
    _pending.asked = True
    transaction.on_commit(_bump_if_asked)


def _bump_if_asked() -> None:
    if getattr(_pending, "asked", False):
        _pending.asked = False
        programme_cache_bump()


@receiver(post_save, sender=Share, dispatch_uid="analytics_share_saved")
@receiver(post_delete, sender=Share, dispatch_uid="analytics_share_deleted")
def share_changed(sender: type[Share], instance: Share, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded: rebuilt in bulk afterwards
    if instance.person_id is not None:
        activity_rebuild(person_id=instance.person_id)
    share_count_rebuild(network=instance.network, day=local_day(instance.created_at))
    _forget_after_commit()


@receiver(post_save, sender=NetworkAccount, dispatch_uid="analytics_account_saved")
@receiver(post_delete, sender=NetworkAccount, dispatch_uid="analytics_account_deleted")
def account_changed(
    sender: type[NetworkAccount], instance: NetworkAccount, **kwargs: object
) -> None:
    if kwargs.get("raw"):
        return
    deleted = kwargs.get("signal") is post_delete
    followers_copy(
        person_id=instance.person_id,
        network=instance.network,
        followers=0 if deleted else instance.followers,
    )
    _forget_after_commit()  # potential reach


@receiver(post_save, sender=Person, dispatch_uid="analytics_person_saved")
@receiver(post_delete, sender=Person, dispatch_uid="analytics_person_deleted")
def person_changed(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    """Erasure, opt-in and opt-out, hiding from rankings, a new name: kept pages would go on
    showing the person as they were."""
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (fields and not PERSON_FIELDS_SHOWN.intersection(fields)):
        return
    _forget_after_commit()


@receiver(m2m_changed, sender=Person.groups.through, dispatch_uid="analytics_groups_changed")
def groups_changed(**kwargs: object) -> None:
    if str(kwargs.get("action", "")).startswith("post_"):
        _forget_after_commit()


@receiver(post_save, sender=TrackedLink, dispatch_uid="analytics_link_saved")
@receiver(post_delete, sender=TrackedLink, dispatch_uid="analytics_link_deleted")
def link_changed(sender: type[TrackedLink], instance: TrackedLink, **kwargs: object) -> None:
    """Pages keep the links their filters match across ingestion batches (dashboard.py
    `PageKept`): a link created or deleted changes them."""
    if kwargs.get("raw") or (kwargs.get("signal") is post_save and not kwargs.get("created")):
        return
    _forget_after_commit()


@receiver(pre_save, sender=Post, dispatch_uid="analytics_post_campaign")
def post_campaign_changed(sender: type[Post], instance: Post, **kwargs: Any) -> None:
    """The kept links carry their post's campaign: a post moved to another campaign moves
    them (a campaign's breakdowns from its links)."""
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or instance.pk is None or (fields and "campaign" not in fields):
        return
    before = Post.objects.filter(pk=instance.pk).values_list("campaign_id", flat=True).first()
    if before != instance.campaign_id:
        _forget_after_commit()


@receiver(post_delete, sender=Campaign, dispatch_uid="analytics_campaign_deleted")
def campaign_deleted(sender: type[Campaign], **kwargs: object) -> None:
    # Its posts lose their campaign by one UPDATE, which sends no signal per post.
    _forget_after_commit()


@receiver(clicks_ingested, dispatch_uid="analytics_clicks_ingested")
@receiver(conversion_recorded, dispatch_uid="analytics_conversion_recorded")
def counters_moved(**kwargs: object) -> None:
    """Sent once the counters' transaction committed: the bump can happen now. Click figures
    alone changed: the pages' share figures stay kept."""
    clicks_cache_bump()
