from django import template

from portevoix.veille.alerts import alerts_unread_count

register = template.Library()


@register.simple_tag
def veille_unread_alerts(person) -> int:
    """Unread alerts for the navigation (the pilot team only: others get 0 and no query)."""
    if not getattr(person, "is_authenticated", False) or not person.is_pilot:
        return 0
    return alerts_unread_count(person=person)
