"""The Slack and Teams channels page (admins) and the notification settings."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.audit import audit_change, audit_record, model_snapshot
from portevoix.notifications.channels import channel_delete, channel_set_enabled, channel_test
from portevoix.notifications.forms import ChannelForm, NotificationSettingsForm
from portevoix.notifications.models import Channel, ChannelDelivery, NotificationSettings


@admin_required
def channel_list(request: AuthenticatedRequest) -> HttpResponse:
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
def channel_action(request: AuthenticatedRequest, channel_id: int) -> HttpResponse:
    channel = get_object_or_404(Channel, pk=channel_id)
    action = request.POST.get("action")
    if action == "enable":
        channel_set_enabled(channel=channel, enabled=True)
        audit_record(actor=request.user, action="channel_enabled", target=channel)
        messages.success(request, _("Channel enabled."))
    elif action == "disable":
        channel_set_enabled(channel=channel, enabled=False)
        audit_record(actor=request.user, action="channel_disabled", target=channel)
        messages.success(request, _("Channel disabled."))
    elif action == "delete":
        channel_delete(channel=channel, actor=request.user)
        messages.success(request, _("Channel deleted."))
    elif action == "test":
        error = channel_test(channel=channel)
        if error is None:
            messages.success(request, _("Test message sent."))
        else:
            messages.error(request, _("The test failed: %(error)s") % {"error": error})
    else:
        messages.error(request, _("Unknown action."))
    return redirect("notifications:channels")


@admin_required
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    current = NotificationSettings.current()
    before = model_snapshot(current)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit_change(
            actor=request.user,
            action="notification_settings_changed",
            target="notifications",
            before=before,
            after=model_snapshot(saved),
        )
        messages.success(request, _("Saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
