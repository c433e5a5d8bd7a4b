"""Keep the share activity (activity.py) in step with the shares and the network accounts, in
the same transaction."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portevoix.accounts.models import NetworkAccount
from portevoix.analytics.activity import activity_rebuild, followers_copy, share_count_rebuild
from portevoix.sharing.models import Share
from portevoix.tracking.visitors import local_day


@receiver(post_save, sender=Share, dispatch_uid="analytics_share_saved")
@receiver(post_delete, sender=Share, dispatch_uid="analytics_share_deleted")
def share_changed(sender: type[Share], instance: Share, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded: rebuilt in bulk afterwards
    if instance.person_id is not None:
        activity_rebuild(person_id=instance.person_id)
    share_count_rebuild(network=instance.network, day=local_day(instance.created_at))


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
