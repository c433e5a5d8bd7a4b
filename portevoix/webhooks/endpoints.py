"""What an admin does with webhook endpoints: add one (its secret shown once), switch it on or
off, rotate its secret, delete it. Each change is in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person, Role
from portevoix.core.audit import audit_record
from portevoix.core.secrets import secret_seal, secret_unseal
from portevoix.notifications.models import Kind
from portevoix.notifications.send import person_notify
from portevoix.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portevoix.webhooks.signing import signing_secret_new

SECRET_PURPOSE = "webhooks.signing"
# How long the previous secret still signs after a rotation: a day for receivers to switch.
ROTATION_OVERLAP = timedelta(hours=24)


def endpoint_create(
    *, name: str, url: str, events: list[str], active: bool, actor: Person
) -> tuple[WebhookEndpoint, str]:
    """The endpoint and its signing secret, to show once (only its sealed form is kept)."""
    secret = signing_secret_new()
    endpoint = WebhookEndpoint.objects.create(
        name=name,
        url=url,
        events=sorted(events),
        active=active,
        secret_sealed=secret_seal(secret, purpose=SECRET_PURPOSE),
        created_by=actor,
    )
    audit_record(actor=actor, action="webhook_added", target=endpoint, url=url)
    return endpoint, secret


def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor: Person, now: datetime | None = None
) -> str:
    """A new secret signs from now on; the one it replaces signs too for ROTATION_OVERLAP."""
    now = now or timezone.now()
    secret = signing_secret_new()
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_secret_until = now + ROTATION_OVERLAP
    endpoint.secret_sealed = secret_seal(secret, purpose=SECRET_PURPOSE)
    endpoint.save(
        update_fields=["secret_sealed", "previous_secret_sealed", "previous_secret_until"]
    )
    audit_record(actor=actor, action="webhook_secret_rotated", target=endpoint)
    return secret


def endpoint_secrets(*, endpoint: WebhookEndpoint, now: datetime | None = None) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one during the
    overlap after a rotation."""
    now = now or timezone.now()
    found = [secret_unseal(endpoint.secret_sealed, purpose=SECRET_PURPOSE)]
    previous = endpoint.previous_secret_sealed
    if previous and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        found.append(secret_unseal(previous, purpose=SECRET_PURPOSE))
    return found


def endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool, actor: Person) -> None:
    """Switching on forgets why it was disabled; deliveries given up meanwhile stay given up
    (each can be sent again from the log)."""
    endpoint.active = active
    if active:
        endpoint.disabled_reason = ""
    endpoint.save(update_fields=["active", "disabled_reason"])
    audit_record(
        actor=actor, action="webhook_enabled" if active else "webhook_disabled", target=endpoint
    )


def endpoint_delete(*, endpoint: WebhookEndpoint, actor: Person) -> None:
    audit_record(actor=actor, action="webhook_deleted", target=endpoint, url=endpoint.url)
    endpoint.delete()


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """The endpoint refused for good (410, an address the guard refuses) or failed for a whole
    day: it stops receiving, what waits for it is given up, and every admin is told."""
    endpoint.active = False
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["active", "disabled_reason"])
    WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error=endpoint.disabled_reason
    )
    audit_record(actor=None, action="webhook_disabled", target=endpoint, reason=reason)
    page = reverse("webhooks:endpoint", args=[endpoint.pk])
    for admin in Person.objects.filter(role=Role.ADMIN, is_active=True):
        with override(admin.language):
            title = _("The webhook “%(name)s” was disabled") % {"name": endpoint.name}
            body = reason
        person_notify(person=admin, kind=Kind.SYSTEM, title=title, body=body, url=page)
