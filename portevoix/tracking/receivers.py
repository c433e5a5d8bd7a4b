"""Signal receivers, connected in TrackingConfig.ready()."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from portevoix.accounts.models import Person
from portevoix.tracking.links import link_cache_generation_bump
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.privacy import rollups_erase_person


@receiver(post_delete, sender=TrackedLink)
def forget_deleted_link(sender, instance: TrackedLink, **kwargs) -> None:
    link_cache_generation_bump()  # a deleted link must stop redirecting in every process


@receiver(pre_delete, sender=Person)
def erase_person_counters(sender, instance: Person, **kwargs) -> None:
    rollups_erase_person(person=instance)
