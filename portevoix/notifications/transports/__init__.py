"""Chat channels: one small module per kind, registered by kind (healthchecks' integrations)."""

from portevoix.notifications.transports.base import DeliveryError, Message, Transport
from portevoix.notifications.transports.slack import Slack
from portevoix.notifications.transports.teams import Teams

TRANSPORTS: dict[str, type[Transport]] = {"slack": Slack, "teams": Teams}

__all__ = ["TRANSPORTS", "DeliveryError", "Message", "Transport"]
