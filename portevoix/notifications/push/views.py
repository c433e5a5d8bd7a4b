"""The browser's side of a device's subscription: JSON in and out, for push-settings.js. Every
view acts on the signed-in person's own devices only, and Django's CSRF check applies (the
script sends the token in X-CSRFToken)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.core.storable import has_nul, strict_json_loads
from portevoix.notifications.push.subscriptions import (
    PushSubscriptionRefused,
    device_label_from,
    push_subscription_delete,
    push_subscription_save,
)

BODY_MAX_BYTES = 4096  # a subscription is a few hundred bytes


def _json_body(request: HttpRequest) -> object:
    if len(request.body) > BODY_MAX_BYTES:
        raise PushSubscriptionRefused(_("This is not a push subscription."))
    try:
        # Strict UTF-8 without lone surrogates; nesting too deep for the parser is refused too.
        data = strict_json_loads(request.body)
    except (ValueError, RecursionError):
        raise PushSubscriptionRefused(_("This is not a push subscription.")) from None
    if has_nul(data):  # PostgreSQL refuses NUL in text and in a query
        raise PushSubscriptionRefused(_("This is not a push subscription."))
    return data


@login_required
@require_POST
def push_subscribe(request: AuthenticatedRequest) -> JsonResponse:
    try:
        device = push_subscription_save(
            person=request.user,
            subscription=_json_body(request),
            device_label=device_label_from(request.headers.get("User-Agent", "")),
        )
    except PushSubscriptionRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"id": device.pk, "device": device.device_label}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: AuthenticatedRequest) -> HttpResponse:
    try:
        data = _json_body(request)
    except PushSubscriptionRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return JsonResponse({"error": _("The subscription has no endpoint.")}, status=400)
    if not push_subscription_delete(person=request.user, endpoint=endpoint):
        return JsonResponse(
            {"error": _("This device does not receive your notifications.")}, status=404
        )
    return HttpResponse(status=204)


@login_required
@require_POST
def push_device_remove(request: AuthenticatedRequest, device_id: int) -> HttpResponse:
    """The form on the profile: stops a device from anywhere (a lost phone, an old browser)."""
    if not push_subscription_delete(person=request.user, subscription_id=device_id):
        raise Http404
    messages.success(request, _("This device will no longer receive notifications."))
    return redirect("accounts:profile")
