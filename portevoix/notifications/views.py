from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portevoix.accounts.access import admin_required
from portevoix.accounts.models import Person
from portevoix.core.audit import audit_record
from portevoix.notifications.channels import delivery_attempt
from portevoix.notifications.emails import unsubscribe, unsubscribe_read
from portevoix.notifications.forms import ChannelForm, NotificationSettingsForm
from portevoix.notifications.inapp import notifications_for, notifications_mark_read
from portevoix.notifications.models import Channel, ChannelDelivery, Kind, NotificationSettings


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(person=request.user)
    return redirect("notifications:list")


# One-click unsubscribe (RFC 8058): mail clients POST without a CSRF token; the signed token
# is the proof, and it only ever unsubscribes its own person from its own kind.
@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    decoded = unsubscribe_read(token) if len(token) < 300 else None
    person = Person.objects.filter(pk=decoded[0]).first() if decoded else None
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind_label = Kind(decoded[1]).label
    if request.method == "POST":
        unsubscribe(person=person, kind=decoded[1])
        return render(request, "notifications/unsubscribed.html", {"kind": kind_label})
    return render(request, "notifications/unsubscribe.html", {"kind": kind_label, "token": token})


@admin_required
def channel_list(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = form.save()
        audit_record(actor=request.user, action="channel_added", target=channel)
        messages.success(request, _("Channel added."))
        return redirect("notifications:channels")
    channels = Channel.objects.all()
    failures = ChannelDelivery.objects.exclude(last_error="").select_related("channel")[:20]
    return render(
        request,
        "notifications/channels.html",
        {"form": form, "channels": channels, "failures": failures},
    )


@admin_required
@require_POST
def channel_action(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    action = request.POST.get("action")
    if action == "enable":
        channel.enabled, channel.disabled_reason = True, ""
        channel.save(update_fields=["enabled", "disabled_reason"])
        messages.success(request, _("Channel enabled."))
    elif action == "disable":
        channel.enabled = False
        channel.save(update_fields=["enabled"])
        messages.success(request, _("Channel disabled."))
    elif action == "delete":
        channel.delete()
        audit_record(actor=request.user, action="channel_deleted", target=channel)
        messages.success(request, _("Channel deleted."))
    elif action == "test":
        delivery = ChannelDelivery.objects.create(
            channel=channel,
            title=_("Portevoix is connected"),
            text=_("New posts to share will be announced here."),
        )
        delivery_attempt(delivery=delivery)
        if delivery.status == "sent":
            messages.success(request, _("Test message sent."))
        else:
            messages.error(
                request, _("The test failed: %(error)s") % {"error": delivery.last_error}
            )
    else:
        messages.error(request, _("Unknown action."))
    return redirect("notifications:channels")


@admin_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, instance=NotificationSettings.current())
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(actor=request.user, action="notification_settings_changed")
        messages.success(request, _("Saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
