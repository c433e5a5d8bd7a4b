"""The connected parts of other apps' pages: the profile's card, the share page's buttons,
"my shares"' publications (those apps never import connections)."""

from __future__ import annotations

from django import template

from portevoix.connections.forms import PublishForm
from portevoix.connections.models import Connection, Publication
from portevoix.connections.publishing import active_connection
from portevoix.connections.readings import connection_expires_soon

register = template.Library()


@register.inclusion_tag("connections/profile_card.html", takes_context=True)
def connections_card(context: template.Context) -> dict[str, object]:
    person = context["request"].user
    connections = list(Connection.objects.filter(person=person))
    return {
        "connections": [(c, connection_expires_soon(c)) for c in connections],
        "user": person,
    }


@register.inclusion_tag("connections/share_controls.html", takes_context=True)
def connected_publish(context: template.Context, post: object, network: str) -> dict[str, object]:
    person = context["request"].user
    return {
        "connection": active_connection(person=person, network=network),
        "post": post,
        "form": PublishForm(),
        "user": person,
    }


@register.inclusion_tag("connections/publications_table.html", takes_context=True)
def my_publications(context: template.Context) -> dict[str, object]:
    person = context["request"].user
    return {
        "publications": Publication.objects.filter(person=person)
        .select_related("post")
        .order_by("-scheduled_at")[:100],
        "user": person,
        "next": "my_shares",
        "csrf_token": context.get("csrf_token"),
    }
