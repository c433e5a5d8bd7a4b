"""Navigation by task: each role sees its own groups and only links it may follow; the current
page is marked; ambassadors keep a one-line header with a menu."""

import re

import pytest
from django.urls import reverse

from portevoix.core.navigation import current_url


def nav_of(html: str) -> tuple[list[str], list[str]]:
    """The groups of the sidebar and every link of the navigation (header and sidebar)."""
    groups = re.findall(r'<h2 class="nav-group" id="nav-([a-z]+)"', html)
    navs = re.findall(r"<nav [^>]*>(.*?)</nav>", html, re.S)
    links = [url for nav in navs for url in re.findall(r'href="([^"#]+)"', nav)]
    return groups, links


@pytest.mark.parametrize(
    ("who", "groups"),
    [
        ("carol", ["content", "diffusion", "community", "veille", "settings", "me"]),
        ("bob", ["content", "diffusion", "community", "veille", "me"]),
        ("alice", []),
        ("dave", []),
    ],
)
def test_each_role_sees_only_its_groups_and_every_link_opens(client_for, request, who, groups):
    person = request.getfixturevalue(who)
    client = client_for(person)
    html = client.get(reverse("core:home")).content.decode()
    found, links = nav_of(html)
    assert found == groups
    assert links, html
    for url in links:
        status = client.get(url).status_code
        assert status == 200, f"{who}: {url} answers {status}"


def test_the_pilot_teams_groups_hold_their_tasks(client_for, carol, bob):
    html = client_for(carol).get(reverse("core:home")).content.decode()
    settings_part = html[html.index('id="nav-settings"') : html.index('id="nav-me"')]
    for url in ("notifications:channels", "analytics:rates", "core:audit_log"):
        assert reverse(url) in settings_part
    diffusion = html[html.index('id="nav-diffusion"') : html.index('id="nav-community"')]
    for url in ("analytics:dashboard", "tracking:links", "tracking:keys"):
        assert reverse(url) in diffusion
    editor = client_for(bob).get(reverse("core:home")).content.decode()
    for url in ("accounts:people", "core:audit_log", "tracking:keys", "analytics:rates"):
        assert reverse(url) not in editor


def test_ambassadors_keep_their_daily_destinations_in_view(client_for, alice):
    html = client_for(alice).get(reverse("sharing:my_shares")).content.decode()
    header = html[html.index('<nav class="compact"') : html.index("<details")]
    for url in ("core:home", "sharing:my_shares", "gamification:mine", "notifications:list"):
        assert reverse(url) in header
    menu = html[html.index("<details") : html.index("</details>")]
    assert reverse("analytics:mine") in menu and reverse("accounts:profile") in menu
    assert f'href="{reverse("sharing:my_shares")}" aria-current="page"' in header
    assert 'class="sidebar"' not in html


def test_the_current_page_is_marked_once(client_for, bob):
    from portevoix.content.models import Post

    post = Post.objects.create(title="Notre atelier", url="https://www.example.com/atelier")
    html = client_for(bob).get(reverse("content:post_detail", args=[post.pk])).content.decode()
    assert html.count('aria-current="page"') == 1
    assert f'href="{reverse("content:posts")}" aria-current="page"' in html


def test_the_current_destination_is_the_longest_that_the_path_starts_with():
    urls = ["/", "/content/", "/content/campaigns/", "/analytics/", "/analytics/mine/"]
    assert current_url("/content/campaigns/3/", urls) == "/content/campaigns/"
    assert current_url("/content/posts/3/edit/", urls) == "/content/"
    assert current_url("/analytics/mine/", urls) == "/analytics/mine/"
    assert current_url("/", urls) == "/"
    assert current_url("/accounts/profile/", urls) is None
