"""The webhooks pages (admins only): endpoints, their delivery log, and what is done to them."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.webhooks.endpoints import (
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_set_active,
)
from portevoix.webhooks.events import EventType
from portevoix.webhooks.forms import EndpointForm
from portevoix.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from portevoix.webhooks.outbox import delivery_resend, endpoint_test

LOG_SIZE = 50


@admin_required
def endpoint_list(request: AuthenticatedRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint, secret = endpoint_create(actor=request.user, **form.cleaned_data)
        # The secret is shown on this response only: only its sealed form is stored.
        return render(request, "webhooks/endpoint.html", _detail(endpoint) | {"new_secret": secret})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "endpoints": WebhookEndpoint.objects.all()}
    return render(request, "webhooks/endpoints.html", context, status=status)


def _detail(endpoint: WebhookEndpoint) -> dict:
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.all()))[:LOG_SIZE]
    )
    labels = dict(EventType.choices)
    return {
        "endpoint": endpoint,
        "events": [(name, labels.get(name, name)) for name in endpoint.events],
        "deliveries": deliveries,
    }


@admin_required
def endpoint_detail(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    return render(request, "webhooks/endpoint.html", _detail(endpoint))


@admin_required
@require_POST
def endpoint_action(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    action = request.POST.get("action")
    if action == "rotate":
        secret = endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        return render(request, "webhooks/endpoint.html", _detail(endpoint) | {"new_secret": secret})
    if action in ("enable", "disable"):
        endpoint_set_active(endpoint=endpoint, active=action == "enable", actor=request.user)
        messages.success(
            request, _("Endpoint enabled.") if action == "enable" else _("Endpoint disabled.")
        )
    elif action == "delete":
        endpoint_delete(endpoint=endpoint, actor=request.user)
        messages.success(request, _("Endpoint deleted."))
        return redirect("webhooks:endpoints")
    elif action == "test":
        attempt = endpoint_test(endpoint=endpoint)
        if attempt.error:
            messages.error(request, _("The test failed: %(error)s") % {"error": attempt.error})
        else:
            messages.success(request, _("Test event delivered."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("webhooks:endpoint", endpoint_id=endpoint.pk)


@admin_required
@require_POST
def delivery_send_again(request: AuthenticatedRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(
        WebhookDelivery.objects.select_related("endpoint", "event"), pk=delivery_id
    )
    if not delivery.endpoint.active:
        messages.error(request, _("Enable the endpoint before sending again."))
    else:
        delivery_resend(delivery=delivery, actor=request.user)
        messages.success(request, _("The event is queued to be sent again."))
    return redirect("webhooks:endpoint", endpoint_id=delivery.endpoint_id)
