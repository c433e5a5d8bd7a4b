"""Chat channels: one small module per kind, registered by kind (healthchecks' integrations)."""

from portevoix.notifications.transports.base import DeliveryError, Message, Transport
from portevoix.notifications.transports.slack import Slack
from portevoix.notifications.transports.teams import Teams

# The channel kinds a pilot team can choose (models.ChannelKind) are derived from here.
TRANSPORTS: dict[str, type[Transport]] = {transport.kind: transport for transport in (Slack, Teams)}

__all__ = ["TRANSPORTS", "DeliveryError", "Message", "Transport"]
