"""The channel kinds a pilot team can choose are the registered transports, and the
migrations record them."""

from django.core.management import call_command

from portevoix.notifications.models import Channel, ChannelKind
from portevoix.notifications.transports import TRANSPORTS


def test_each_channel_kind_is_a_registered_transport_and_back():
    assert dict(ChannelKind.choices) == {
        kind: transport.label for kind, transport in TRANSPORTS.items()
    }
    assert all(TRANSPORTS[kind].kind == kind for kind in ChannelKind.values)
    assert dict(Channel._meta.get_field("kind").choices) == dict(ChannelKind.choices)


def test_the_stored_kinds_and_their_names_stay_those_of_existing_channels():
    # Rows already hold these values: a new transport adds a kind, none is renamed.
    assert {"slack": "Slack", "teams": "Microsoft Teams"}.items() <= dict(
        ChannelKind.choices
    ).items()


def test_the_migrations_record_every_kind(db):
    # A new transport changes the field's choices: it needs its migration, which this asks for.
    call_command("makemigrations", "notifications", "--check", "--dry-run", verbosity=0)
