"""Signal receivers, connected in TrackingConfig.ready()."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from portevoix.accounts.models import Person
from portevoix.tracking.links import link_cache_generation_bump, links_lock_for_deletion
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.privacy import rollups_erase_person


@receiver(pre_delete, sender=TrackedLink)
def lock_deleted_link(sender, instance: TrackedLink, **kwargs) -> None:
    # Before its clicks are deleted: an ingestion batch then either stored its clicks before
    # (they are deleted too) or waits and leaves the link out (ingest.py).
    links_lock_for_deletion(TrackedLink.objects.filter(pk=instance.pk))


@receiver(post_delete, sender=TrackedLink)
def forget_deleted_link(sender, instance: TrackedLink, **kwargs) -> None:
    link_cache_generation_bump()  # a deleted link must stop redirecting in every process


@receiver(pre_delete, sender=Person)
def erase_person_counters(sender, instance: Person, **kwargs) -> None:
    rollups_erase_person(person=instance)
