from django import template

from portevoix.accounts.models import Person
from portevoix.accounts.two_factor import recovery_codes_left, two_factor_for
from portevoix.accounts.two_factor_policy import two_factor_required

register = template.Library()


@register.inclusion_tag("accounts/two_factor_profile.html", takes_context=True)
def two_factor_card(context: template.Context) -> dict[str, object]:
    """The profile's "Two-factor log-in" section."""
    person = context["request"].user
    two_factor = two_factor_for(person)
    return {
        "enabled": two_factor is not None,
        "since": two_factor.confirmed_at if two_factor else None,
        "codes_left": recovery_codes_left(person) if two_factor else 0,
        "required": two_factor_required(person),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("accounts/two_factor_person.html", takes_context=True)
def two_factor_person_card(context: template.Context, person: Person) -> dict[str, object]:
    """The admin's view of someone's two-factor log-in, on their page."""
    return {
        "person": person,
        "enabled": two_factor_for(person) is not None,
        "csrf_token": context.get("csrf_token"),
    }
