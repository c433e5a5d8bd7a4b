from django.db.models.signals import pre_delete
from django.dispatch import Signal, receiver

from portevoix.accounts.models import Person
from portevoix.sharing.archive import archive_erase_person
from portevoix.sharing.models import Share

# share: an ambassador just shared a post (sent after the share has committed).
share_created = Signal()
# share: the network confirmed that this share went out (published through a connected account);
# it earns its share points now, without waiting for a verified click.
share_confirmed = Signal()


@receiver(pre_delete, sender=Person, dispatch_uid="sharing_anonymise_shares")
def anonymise_shares(sender: type[Person], instance: Person, **kwargs: object) -> None:
    """Erasure: the share stays counted (post, network, day), nothing says who or what."""
    Share.objects.filter(person=instance).update(person=None, text="", fingerprint="")
    archive_erase_person(instance)
