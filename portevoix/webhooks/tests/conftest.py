"""A receiving server on loopback that keeps what it was sent, and endpoints made through the
admin's own service (so the secret is sealed as in production)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from portevoix.core.testing import Answer, LocalHTTPServer
from portevoix.webhooks.models import WebhookDelivery


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def verified_by(self, secret: str) -> dict:
        """The payload, as the Standard Webhooks library's own verifier reads it (it raises
        WebhookVerificationError on a wrong signature or a stale timestamp)."""
        return Webhook(secret).verify(self.body, self.headers)


class Receiver:
    def __init__(self, server: LocalHTTPServer) -> None:
        self.server = server
        self.received: list[Received] = []
        self.answers: list[Answer] = []

    def url(self, path: str = "/hook") -> str:
        return self.server.url(path)

    def answer(self, *answers: Answer) -> None:
        """Answer these in turn, then repeat the last one."""
        self.answers = list(answers)

    def handle(self, request) -> Answer:
        body = request.rfile.read(int(request.headers["Content-Length"]))
        self.received.append(Received(dict(request.headers), body))
        if len(self.answers) > 1:
            return self.answers.pop(0)
        return self.answers[0] if self.answers else Answer(200, b"ok")


@pytest.fixture
def receiver(local_http) -> Receiver:
    found = Receiver(local_http)
    local_http.route("/hook", found.handle)
    return found


@pytest.fixture
def make_endpoint(carol, receiver):
    from portevoix.webhooks.endpoints import endpoint_create

    def make(events: list[str], **fields):
        fields.setdefault("url", receiver.url())
        return endpoint_create(
            name=fields.pop("name", "CRM"), events=events, active=True, actor=carol, **fields
        )

    return make


def make_due() -> None:
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
