"""The pilot team lists tracked links with their counts and can disable one."""

import pytest
from django.urls import reverse

from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.tests.conftest import call

LINKS = reverse("tracking:links")


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_ambassadors_do_not_reach_the_links_page(request, client_for, who, link):
    person = request.getfixturevalue(who)
    assert client_for(person).get(LINKS).status_code == 403
    response = client_for(person).post(reverse("tracking:link_disable", args=[link.pk]))
    assert response.status_code == 403
    link.refresh_from_db()
    assert not link.disabled


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_pilot_team_sees_links_and_their_counts(request, client_for, who, redirect_app, link):
    for n in range(3):
        call(redirect_app, f"/s/{link.code}", ip=f"198.51.100.{n % 2}")
    clicks_ingest()
    response = client_for(request.getfixturevalue(who)).get(LINKS)
    assert response.status_code == 200
    [(shown, totals)] = response.context["rows"]
    assert shown == link
    assert (totals["raw"], totals["verified"], totals["repeat"]) == (3, 2, 1)
    assert link.short_url in response.content.decode()


def test_the_list_can_be_searched(client_for, bob, link):
    assert client_for(bob).get(LINKS, {"q": link.code}).context["rows"][0][0] == link
    assert client_for(bob).get(LINKS, {"q": "Alice"}).context["rows"][0][0] == link
    assert client_for(bob).get(LINKS, {"q": "personne"}).context["rows"] == []
    assert client_for(bob).get(LINKS, {"page": "abc"}).status_code == 200


def test_an_editor_disables_and_enables_a_link(client_for, bob, redirect_app, link):
    client = client_for(bob)
    response = client.post(reverse("tracking:link_disable", args=[link.pk]), {"next": LINKS})
    assert response.status_code == 302 and response["Location"] == LINKS
    link.refresh_from_db()
    assert link.disabled
    assert call(redirect_app, f"/s/{link.code}").status == 404
    client.post(reverse("tracking:link_enable", args=[link.pk]))
    assert call(redirect_app, f"/s/{link.code}").status == 302


def test_disabling_needs_a_post_and_an_existing_link(client_for, bob, link):
    client = client_for(bob)
    assert client.get(reverse("tracking:link_disable", args=[link.pk])).status_code == 405
    assert client.post(reverse("tracking:link_disable", args=[9999])).status_code == 404
    assert not TrackedLink.objects.filter(disabled=True).exists()


def test_the_return_address_cannot_leave_the_site(client_for, bob, link):
    response = client_for(bob).post(
        reverse("tracking:link_disable", args=[link.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == LINKS


def test_the_navigation_shows_the_page_to_the_pilot_team_only(client_for, bob, alice):
    assert LINKS in client_for(bob).get(reverse("core:home")).content.decode()
    assert LINKS not in client_for(alice).get(reverse("core:home")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, link):
    response = client.get(LINKS)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    assert client.post(reverse("tracking:link_disable", args=[link.pk])).status_code == 302
    link.refresh_from_db()
    assert not link.disabled
