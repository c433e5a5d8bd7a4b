"""Keep the share activity (activity.py) in step with the shares, in the same transaction."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portevoix.analytics.activity import activity_rebuild, share_count_rebuild
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
