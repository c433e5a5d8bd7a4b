from django import template

from portevoix.academy.checklist import onboarding_checklist as checklist_for

register = template.Library()


@register.inclusion_tag("academy/checklist.html", takes_context=True)
def onboarding_checklist(context: template.Context) -> dict:
    """The checklist until every step is done; then it leaves the home page. Folded (one tap
    opens it) once read, as the home page says (`welcome_folded`)."""
    person = context["request"].user
    steps = checklist_for(person)
    return {
        "checklist": steps if not all(step.done for step in steps) else [],
        "done_count": sum(step.done for step in steps),
        "folded": context.get("welcome_folded", False),
    }
