"""`{% navigation as nav %}`: the links the logged-in person may follow, for the layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from portevoix.core import navigation

register = template.Library()


@dataclass(frozen=True)
class Nav:
    groups: list[navigation.Group] = field(default_factory=list)  # the pilot team's sidebar
    in_view: list[navigation.Link] = field(default_factory=list)  # an ambassador's header
    more: list[navigation.Link] = field(default_factory=list)  # an ambassador's menu


@register.simple_tag(takes_context=True)
def navigation_for(context) -> Nav:
    request, user = context["request"], context["user"]
    if user.is_pilot:
        return Nav(groups=navigation.pilot_groups(user, request.path))
    in_view, more = navigation.ambassador_links(user, request.path)
    return Nav(in_view=in_view, more=more)
