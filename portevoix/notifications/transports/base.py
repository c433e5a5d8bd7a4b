from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portevoix.core.fetch import FetchError, FetchRefused, fetch

# Answers that mean the webhook itself is gone or refused for good: the channel is disabled
# rather than retried forever.
PERMANENT_STATUSES = {401, 403, 404, 410}


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    url: str
    link_label: str


class Transport:
    """Posts a message to an incoming webhook. `kind` is stored in `Channel.kind`; `label` is
    the service's name, shown as it is in every language."""

    kind: str
    label: str
    accepted_statuses = {200}

    def __init__(self, webhook_url: str) -> None:
        self.webhook_url = webhook_url

    def payload(self, message: Message) -> dict:
        raise NotImplementedError

    def deliver(self, message: Message) -> None:
        body = json.dumps(self.payload(message)).encode()
        try:
            result = fetch(
                self.webhook_url,
                method="POST",
                body=body,
                headers={"Content-Type": "application/json"},
                timeout=settings.WEBHOOK_TIMEOUT,
                max_bytes=10_000,
            )
        except FetchRefused as error:
            # The guard refuses the webhook's address itself (saved before it was checked at
            # input, or its name now resolves to a private address): retrying cannot cure it.
            raise DeliveryError(str(error), permanent=True) from None
        except FetchError as error:
            raise DeliveryError(str(error)) from None
        if result.status in self.accepted_statuses:
            return
        detail = result.body[:120].decode("utf-8", "replace").strip()
        text = _("The service answered %(status)d %(detail)s") % {
            "status": result.status,
            "detail": detail,
        }
        raise DeliveryError(text, permanent=result.status in PERMANENT_STATUSES)
