"""Connections listen to accounts: opting out ends every connection (revoked, deleted) and
every publication still to go."""

from django.dispatch import receiver

from portevoix.accounts.models import Person
from portevoix.accounts.signals import ambassador_opted_out
from portevoix.connections.connecting import connection_disconnect
from portevoix.connections.models import Connection, Publication, PublicationStatus


@receiver(ambassador_opted_out, dispatch_uid="connections_opted_out")
def on_opted_out(sender, person: Person, **kwargs) -> None:
    Publication.objects.filter(person=person, status=PublicationStatus.SCHEDULED).update(
        status=PublicationStatus.CANCELLED
    )
    for connection in Connection.objects.filter(person=person):
        connection_disconnect(connection=connection, actor=person)
