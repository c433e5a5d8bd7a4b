from django import template

from portevoix.notifications.inapp import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    user = context["request"].user
    return unread_count(user) if user.is_authenticated else 0
