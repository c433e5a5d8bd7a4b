"""Where each role can go, grouped by what people do there.

The pilot team's destinations are grouped by task (content, diffusion, community, veille,
settings) in a sidebar on wide screens and a menu on phones; ambassadors keep a compact header
(feed, my shares, points, notifications) and the rest in a menu. Each destination names the
roles its view lets in, so nobody is shown a link that answers 403: the views still check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # core sits below accounts: the person is only read through its roles
    from portevoix.accounts.models import Person

Allowed = Callable[["Person"], bool]


def anyone(person: Person) -> bool:
    return True


def pilot(person: Person) -> bool:
    return person.is_pilot


def admin(person: Person) -> bool:
    return person.is_admin


def ambassador(person: Person) -> bool:
    return person.is_ambassador


def data_protection(person: Person) -> bool:
    """Admins, and whoever is named data-protection officer (accounts/access.py)."""
    return person.is_admin or person.data_protection_officer


@dataclass(frozen=True)
class Destination:
    url_name: str
    label: str | Promise
    allowed: Allowed


@dataclass(frozen=True)
class Section:
    slug: str
    label: str | Promise
    destinations: tuple[Destination, ...]


PILOT_SECTIONS = (
    Section(
        "content",
        _("Content"),
        (
            Destination("content:posts", _("Posts"), pilot),
            Destination("content:campaigns", _("Campaigns"), pilot),
            Destination("content:suggestions", _("Suggestions"), pilot),
            Destination("content:topics", _("Topics"), pilot),
            Destination("content:compliance", _("Compliance"), admin),
            Destination("content:approval", _("Approval"), admin),
        ),
    ),
    Section(
        "diffusion",
        _("Diffusion"),
        (
            Destination("analytics:dashboard", _("Dashboard"), pilot),
            Destination("tracking:links", _("Tracked links"), pilot),
            Destination("tracking:keys", _("Conversions"), admin),
            Destination("gamification:leaderboard", _("Rankings"), pilot),
        ),
    ),
    Section(
        "community",
        _("Community"),
        (
            Destination("accounts:people", _("People"), admin),
            Destination("accounts:groups", _("Groups"), admin),
            Destination("accounts:charter_admin", _("Charter"), admin),
            Destination("academy:lesson_manage", _("Academy"), pilot),
            Destination("gamification:challenges", _("Challenges"), pilot),
            Destination("gamification:rules", _("Point rules"), admin),
        ),
    ),
    Section(
        "veille",
        _("Veille"),
        (
            Destination("veille:inbox", _("To sort"), pilot),
            Destination("veille:sources", _("Sources"), pilot),
            Destination("veille:watches", _("Watches"), pilot),
            Destination("veille:alerts", _("Alerts"), pilot),
        ),
    ),
    Section(
        "settings",
        _("Settings"),
        (
            Destination("notifications:settings", _("Notifications"), admin),
            Destination("notifications:channels", _("Slack & Teams"), admin),
            Destination("webhooks:endpoints", _("Webhooks"), admin),
            Destination("analytics:rates", _("Brand channels and rates"), admin),
            Destination("connections:settings", _("Connected accounts and pacing"), admin),
            Destination("accounts:two_factor_policy", _("Two-factor log-in"), admin),
            Destination("scim:settings", _("Provisioning (SCIM)"), admin),
            Destination("identity:providers", _("Single sign-on"), admin),
            Destination("core:audit_log", _("Audit log"), admin),
            Destination("accounts:retention", _("Retention"), admin),
            Destination("accounts:data_requests", _("Data requests"), data_protection),
            Destination("sharing:archive", _("Compliance archive"), data_protection),
            Destination("tracking:health", _("Health"), admin),
        ),
    ),
    # What a member of the pilot team does as an ambassador of the programme themselves.
    Section(
        "me",
        _("My space"),
        (
            Destination("core:home", _("Feed"), anyone),
            Destination("sharing:my_shares", _("My shares"), ambassador),
            Destination("connections:mine", _("My connected accounts"), ambassador),
            Destination("analytics:mine", _("My statistics"), ambassador),
            Destination("gamification:mine", _("My points"), anyone),
            Destination("academy:lessons", _("Lessons"), anyone),
            Destination("content:suggestion_new", _("Suggest content"), ambassador),
            Destination("api_pages:tokens", _("API tokens"), anyone),
            Destination("analytics:about_me", _("What my employer sees"), anyone),
        ),
    ),
)

# An ambassador's header: what they do every day stays in view, on a phone too.
AMBASSADOR_IN_VIEW = (
    Destination("core:home", _("Feed"), anyone),
    Destination("sharing:my_shares", _("My shares"), ambassador),
    Destination("gamification:mine", _("Points"), anyone),
)
AMBASSADOR_MORE = (
    Destination("analytics:mine", _("My statistics"), ambassador),
    Destination("content:suggestion_new", _("Suggest content"), ambassador),
    Destination("content:my_suggestions", _("My suggestions"), ambassador),
    Destination("gamification:leaderboard", _("Leaderboard"), anyone),
    Destination("gamification:challenges", _("Challenges"), anyone),
    Destination("academy:lessons", _("Academy"), anyone),
    Destination("api_pages:tokens", _("API tokens"), anyone),
    Destination("analytics:about_me", _("What my employer sees"), anyone),
    Destination("accounts:data_requests", _("Data requests"), data_protection),
    Destination("sharing:archive", _("Compliance archive"), data_protection),
)


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class Group:
    slug: str
    label: str
    links: list[Link]


def current_url(path: str, urls: list[str]) -> str | None:
    """The destination the page belongs to: the longest URL the path starts with (a post's
    edit page belongs to Posts); the home page only for itself."""
    found = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(found, key=len, default=None)


def _allowed(person: Person, destinations) -> list[tuple[Destination, str]]:
    return [(d, reverse(d.url_name)) for d in destinations if d.allowed(person)]


def _marked(found: list[tuple[Destination, str]], current: str | None) -> list[Link]:
    return [Link(url, str(d.label), url == current) for d, url in found]


def pilot_groups(person: Person, path: str) -> list[Group]:
    """The sections this person may use, each with the links they may follow; empty sections
    are left out. One link is current across all sections."""
    allowed = [(section, _allowed(person, section.destinations)) for section in PILOT_SECTIONS]
    current = current_url(path, [url for _s, found in allowed for _d, url in found])
    return [
        Group(section.slug, str(section.label), _marked(found, current))
        for section, found in allowed
        if found
    ]


def ambassador_links(person: Person, path: str) -> tuple[list[Link], list[Link]]:
    """The links in view and those in the menu."""
    in_view = _allowed(person, AMBASSADOR_IN_VIEW)
    more = _allowed(person, AMBASSADOR_MORE)
    current = current_url(path, [url for _d, url in in_view + more])
    return _marked(in_view, current), _marked(more, current)
