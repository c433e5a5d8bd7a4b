"""Entity scopes on every pilot page: a scoped editor (Sam, Paris) and a scoped admin (Sara,
Paris) get 404 for objects of Lyon, and the page for Paris's.

The walk below lists every URL name of the apps whose pages show a scope's data, and every
namespace the pilot team's navigation leads to: a page added later fails the walk until it is
put in one of the tables (scoped object, scoped list, or organisation-wide with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import get_resolver, reverse

from portevoix.accounts.tests.scoped_world import World, scoped_world
from portevoix.content.models import Campaign
from portevoix.core.navigation import AMBASSADOR_MORE, PILOT_SECTIONS


@dataclass(frozen=True)
class ObjectPage:
    """A page of one object: `outside`/`inside` name the world's objects (or literal
    arguments) in the URL, or the query string's values when `query` names a parameter."""

    outside: tuple
    inside: tuple | None  # None: not opened inside (it would start a fetch from the internet)
    method: str = "get"
    query: str = ""
    args: tuple = ()
    who: str = "sam"


@dataclass(frozen=True)
class ListPage:
    """A page listing objects: Paris's shown, Lyon's not."""

    shown: str
    hidden: str
    who: str = "sam"
    args: tuple = field(default=())


OBJECT_PAGES: dict[str, ObjectPage] = {
    "content:post_detail": ObjectPage(("post_out",), ("post_in",)),
    "content:post_edit": ObjectPage(("post_out",), ("post_in",)),
    "content:post_action": ObjectPage(("post_out", "archive"), ("post_in", "archive"), "post"),
    "content:suggestion_accept": ObjectPage(("suggestion_out",), ("suggestion_in",), "post"),
    "content:suggestion_decline": ObjectPage(("suggestion_out",), ("suggestion_in",), "post"),
    "tracking:link_disable": ObjectPage(("link_out",), ("link_in",), "post"),
    "tracking:link_enable": ObjectPage(("link_out",), ("link_in",), "post"),
    "analytics:dashboard": ObjectPage(("lyon",), ("paris",), query="group"),
    "analytics:rankings": ObjectPage(("lyon",), ("paris",), query="group"),
    "analytics:health": ObjectPage(("lyon",), ("paris",), query="group"),
    "analytics:export": ObjectPage(("lyon",), ("paris",), query="group", args=("summary", "csv")),
    "analytics:mine": ObjectPage(("leo",), ("paula",), query="ambassador"),
    "analytics:mine_export": ObjectPage(
        ("leo",), ("paula",), query="ambassador", args=("all", "xlsx")
    ),
    "gamification:leaderboard": ObjectPage(("lyon",), ("paris",), query="group"),
    "gamification:challenge": ObjectPage(("challenge_out",), ("challenge_in",)),
    "gamification:challenge_edit": ObjectPage(("challenge_out",), ("challenge_in",)),
    "veille:item_draft": ObjectPage(("item_out",), ("item_in",), "post"),
    "veille:item_dismiss": ObjectPage(("item_out",), ("item_in",), "post"),
    "veille:source_edit": ObjectPage(("source_out",), ("source_in",)),
    "veille:source_fetch": ObjectPage(("source_out",), None, "post"),
    "veille:source_delete": ObjectPage(("source_out",), ("source_in",), "post"),
    "veille:watch": ObjectPage(("watch_out",), ("watch_in",)),
    "veille:watch_edit": ObjectPage(("watch_out",), ("watch_in",)),
    "veille:watch_delete": ObjectPage(("watch_out",), ("watch_in",), "post"),
    "accounts:person_edit": ObjectPage(("leo",), ("paula",), who="sara"),
    "accounts:person_active": ObjectPage(("leo",), ("paula",), "post", who="sara"),
    "accounts:person_two_factor_reset": ObjectPage(("leo",), ("paula",), "post", who="sara"),
    # Inside the scope the export is the file itself (test_data_requests.py checks it).
    "accounts:data_request_export": ObjectPage(("leo",), None, "post", who="sara"),
    "accounts:data_request_erase": ObjectPage(("leo",), ("paula",), "post", who="sara"),
}

LIST_PAGES: dict[str, ListPage] = {
    "content:posts": ListPage("Paris post", "Lyon post"),
    "content:post_new": ListPage("Paris", "Lyon"),  # the audience offered
    "content:campaign_detail": ListPage("Paris post", "Lyon post", args=("campaign",)),
    "content:suggestions": ListPage("Idée de Paula", "Idée de Léo"),
    "tracking:links": ListPage("Paula Parisienne", "Léo Lyonnais"),
    "gamification:challenges": ListPage("Défi Paris post", "Défi Lyon post"),
    "gamification:challenge_create": ListPage("Paris post", "Lyon post"),  # posts offered
    "veille:inbox": ListPage("Article Paris", "Article Lyon"),
    "veille:sources": ListPage("Source Paris", "Source Lyon"),
    "veille:watches": ListPage("Veille Paris", "Veille Lyon"),
    "veille:alerts": ListPage("Veille Paris", "Veille Lyon"),
    "accounts:people": ListPage("Paula Parisienne", "Léo Lyonnais", who="sara"),
}

# Pages the scope does not narrow, and why.
ORGANISATION_WIDE: dict[str, str] = {
    "content:campaigns": "campaigns are the organisation's catalogue; their posts are scoped",
    "content:campaign_new": "campaigns are the organisation's catalogue",
    "content:campaign_edit": "campaigns are the organisation's catalogue",
    "content:topics": "topics are the organisation's catalogue",
    "content:topic_delete": "topics are the organisation's catalogue",
    "content:topics_followed": "one's own topics",
    "content:link_preview": "reads a web page's preview; no data of anyone",
    "content:suggestion_new": "an ambassador's own suggestion",
    "content:my_suggestions": "an ambassador's own suggestions",
    "content:compliance": "organisation setting (admin)",
    "content:approval": "organisation setting (admin)",
    "tracking:keys": "conversion keys of the organisation's websites (admin)",
    "tracking:key_revoke": "conversion keys of the organisation's websites (admin)",
    "tracking:conversions_api": "called by the organisation's websites",
    "tracking:conversions_script": "called by the organisation's websites",
    "analytics:rates": "organisation setting (admin)",
    "gamification:mine": "one's own points",
    "gamification:rules": "organisation setting (admin)",
    "veille:source_create": "a new source belongs to its creator's scope",
    "veille:watch_create": "a new watch belongs to its creator's scope",
    "veille:alerts_read": "marks one's own notifications read",
    "accounts:groups": "the organisation's groups (admin)",
    "accounts:person_invite": "organisation setting (admin): invitations",
    "accounts:people_import": "organisation setting (admin): imports",
    "accounts:charter_admin": "organisation setting (admin)",
    "accounts:two_factor_policy": "organisation setting (admin)",
    "accounts:retention": "organisation setting (admin)",
    "accounts:data_requests": "finds one person by e-mail, within the scope (test_data_requests)",
    "analytics:about_me": "a person's own page",
    "analytics:brand_export": "a person's own file",
    "analytics:brand_export_link": "a leaver's own file, by the link they were mailed",
    "analytics:figures_key": "the public key that verifies the signed reports",
    "analytics:figures_report": "the whole programme's figures: refused to a scoped admin",
    "tracking:health": "the installation's health (admin), no one's data",
    "tracking:health_json": "the installation's health (admin), no one's data",
}
# accounts' own pages of a person about themselves, and logging in.
PERSONAL = {
    "charter",
    "invitation_accept",
    "login",
    "logout",
    "my_account_erase",
    "my_data",
    "my_data_export",
    "opt_in",
    "opt_out",
    "password_reset",
    "password_reset_confirm",
    "password_reset_done",
    "profile",
    "two_factor_off",
    "two_factor_recovery_codes",
    "two_factor_setup",
    "two_factor_verify",
    "welcome",
}
ORGANISATION_WIDE |= {f"accounts:{name}": "a person's own page" for name in PERSONAL}

SCOPED_NAMESPACES = ("content", "tracking", "analytics", "gamification", "veille", "accounts")
# Namespaces the pilot team's navigation leads to whose pages hold no scope's data.
OTHER_NAMESPACES = {
    "academy": "lessons are the organisation's; results are the learner's own",
    "connections": "one's own connected accounts, and the networks' apps and pacing (admin)",
    "api_pages": "one's own API tokens",
    "core": "the feed and the audit log (organisation-wide, admin: issue #21 audit work)",
    "identity": "single sign-on settings (admin)",
    "notifications": "organisation settings (admin) and one's own notifications",
    "scim": "provisioning settings (admin)",
    "sharing": "an ambassador's own feed and shares; the archive is refused to a scoped admin",
    "webhooks": "organisation settings (admin)",
}


def _names(namespace: str) -> set[str]:
    resolver = get_resolver().namespace_dict[namespace][1]
    return {f"{namespace}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}


def test_every_page_of_the_scoped_apps_is_classified():
    found = set().union(*(_names(namespace) for namespace in SCOPED_NAMESPACES))
    classified = set(OBJECT_PAGES) | set(LIST_PAGES) | set(ORGANISATION_WIDE)
    assert found - classified == set(), "new pages: scope them and add them to a table"
    assert classified - found == set(), "these pages are gone: remove them from the tables"


def test_every_namespace_the_navigation_leads_to_is_classified():
    destinations = [d for section in PILOT_SECTIONS for d in section.destinations]
    destinations += list(AMBASSADOR_MORE)
    for destination in destinations:
        namespace = destination.url_name.split(":")[0]
        assert namespace in SCOPED_NAMESPACES or namespace in OTHER_NAMESPACES, namespace
        if namespace in SCOPED_NAMESPACES:
            assert destination.url_name in OBJECT_PAGES | LIST_PAGES | ORGANISATION_WIDE


@pytest.fixture
def world(bob) -> World:
    found = scoped_world(bob)
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    for key in ("post_in", "post_out"):
        found.objects[key].campaign = campaign
        found.objects[key].save(update_fields=["campaign"])
    found.objects["campaign"] = campaign
    return found


def _request(client, name: str, page: ObjectPage, keys: tuple, world: World):
    values = [world.objects[key].pk if key in world.objects else key for key in keys]
    if page.query:
        url = reverse(name, args=list(page.args))
        return getattr(client, page.method)(url + f"?{page.query}={values[0]}")
    return getattr(client, page.method)(reverse(name, args=list(page.args) + values))


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_an_object_outside_the_scope_is_not_found(name, world, client_for):
    page = OBJECT_PAGES[name]
    client = client_for(getattr(world, page.who))
    assert _request(client, name, page, page.outside, world).status_code == 404


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_an_object_inside_the_scope_is_served(name, world, client_for):
    page = OBJECT_PAGES[name]
    if page.inside is None:
        pytest.skip("opening it inside the scope reads a feed on the internet")
    client = client_for(getattr(world, page.who))
    response = _request(client, name, page, page.inside, world)
    assert response.status_code == (200 if page.method == "get" else 302), response.status_code


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_a_list_shows_the_scope_only(name, world, client_for):
    page = LIST_PAGES[name]
    client = client_for(getattr(world, page.who))
    args = [world.objects[key].pk for key in page.args]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    text = response.content.decode()
    assert page.shown in text
    assert page.hidden not in text


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_an_organisation_wide_editor_sees_both_sides(name, world, client_for, carol):
    page = LIST_PAGES[name]
    who = world.bob if page.who == "sam" else carol
    args = [world.objects[key].pk for key in page.args]
    text = client_for(who).get(reverse(name, args=args)).content.decode()
    assert page.shown in text
    assert page.hidden in text


def test_the_signed_figures_report_is_refused_to_a_scoped_admin(world, client_for, carol):
    """It holds the whole programme's figures, which a scoped admin's dashboard never shows."""
    assert client_for(world.sara).get(reverse("analytics:figures_report")).status_code == 403
    assert client_for(carol).get(reverse("analytics:figures_report")).status_code == 200


def test_the_compliance_archive_is_refused_to_a_scoped_admin(world, client_for, carol):
    """Every share of the organisation, with names and texts: not for an admin of Paris."""
    url = reverse("sharing:archive")
    assert client_for(world.sara).get(url).status_code == 403
    export = {"since": "2026-01-01", "until": "2026-12-31", "format": "csv"}
    assert client_for(world.sara).get(url, export).status_code == 403
    assert client_for(carol).get(url).status_code == 200


def test_the_dashboard_of_a_scoped_editor_is_their_group_s(world, client_for):
    response = client_for(world.sam).get(reverse("analytics:dashboard"))
    assert response.status_code == 200
    assert response.context["filters"].group_id == world.paris.pk
    groups = [pk for pk, _name in response.context["groups"]]
    assert groups == [world.paris.pk]


def test_the_leaderboard_of_a_scoped_editor_is_their_group_s(world, client_for):
    response = client_for(world.sam).get(reverse("gamification:leaderboard"))
    assert response.context["group"] == world.paris
    assert list(response.context["groups"]) == [world.paris]


def test_an_item_drafted_into_another_scope_does_not_open_its_post(world, client_for):
    """The page's "draft it" on an item another editor made a post of and aimed at Lyon: no
    redirect to that post, and not its title either."""
    item = world.objects["item_in"]
    bobs = client_for(world.bob)
    assert bobs.post(reverse("veille:item_draft", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.post is not None
    item.post.title = "Plan confidentiel Lyon"
    item.post.save(update_fields=["title"])
    item.post.target_groups.set([world.lyon])
    sams = client_for(world.sam)
    answer = sams.post(reverse("veille:item_draft", args=[item.pk]), follow=True)
    assert answer.redirect_chain == [(reverse("veille:inbox"), 302)]
    page = answer.content.decode()
    assert "Plan confidentiel Lyon" not in page
    assert "outside your scope" in page or "hors de votre périmètre" in page


def test_one_ambassador_s_page_counts_people_of_the_scope_only(world, client_for, bob, settings):
    """A scoped editor who picks one ambassador: the figures that count people (adoption,
    engagement by group) are those of that person's group in the scope, as for anyone who
    picks that group — not the whole organisation's."""
    settings.ANALYTICS_CACHE_SECONDS = 0
    paula = world.objects["paula"]

    def people_figures(client, query):
        summary = next(
            t
            for t in client.get(reverse("analytics:dashboard"), query).context["tables"]
            if t.slug == "summary"
        )
        health = client.get(reverse("analytics:health"), query)
        groups = next(t for t in health.context["tables"] if t.slug == "groups")
        return summary.rows[:4], [row[0] for row in groups.rows]

    sams = people_figures(client_for(world.sam), {"ambassador": paula.pk})
    as_group = people_figures(client_for(bob), {"ambassador": paula.pk, "group": world.paris.pk})
    assert sams == as_group
    assert sams[1] == [world.paris.name]


def test_a_campaign_s_goal_and_cohorts_count_the_scope_s_people_only(
    world, client_for, bob, settings
):
    settings.ANALYTICS_CACHE_SECONDS = 0
    campaign = Campaign.objects.create(
        name="Camp", utm_campaign="camp", goal="shares", goal_target=10
    )
    for key in ("post_in", "post_out"):
        post = world.objects[key]
        post.campaign = campaign
        post.save(update_fields=["campaign"])
    query = {"campaign": campaign.pk}

    def seen(client, extra):
        page = client.get(reverse("analytics:dashboard"), query | extra)
        health = client.get(reverse("analytics:health"), extra)
        cohorts = next(t for t in health.context["tables"] if t.slug == "cohorts")
        return page.context["glance"].goal.reached, cohorts.rows

    sams = seen(client_for(world.sam), {})
    paris = seen(client_for(bob), {"group": world.paris.pk})
    whole = seen(client_for(bob), {})
    assert sams == paris
    assert sams != whole  # Lyon's shares and sharers are in the whole organisation's
