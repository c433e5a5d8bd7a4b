from django import template

from portevoix.notifications.push.keys import vapid_public_key
from portevoix.notifications.push.subscriptions import push_subscriptions_for

register = template.Library()


@register.inclusion_tag("notifications/push_devices.html", takes_context=True)
def push_devices(context: template.Context) -> dict[str, object]:
    """The profile's "Notifications on my devices" section."""
    request = context["request"]
    return {
        "devices": list(push_subscriptions_for(request.user)),
        "application_server_key": vapid_public_key(),
        "csrf_token": context.get("csrf_token"),
    }
