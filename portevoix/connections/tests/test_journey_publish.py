"""An ambassador connects Mastodon through the local server's consent page, schedules a share,
the worker publishes it at its time; "my shares" shows the post on the network, the points are
there, and the follower count shown is the one the server gave."""

from __future__ import annotations

import pytest

from conftest import PASSWORD, make_person
from portevoix.connections.publishing import publications_publish_due
from portevoix.connections.readings import followers_read_all
from portevoix.connections.tests.conftest import instance_of, next_monday_at
from portevoix.connections.tests.servers import MastodonServer
from portevoix.content.tests.factories import make_post

pytestmark = [pytest.mark.browser, pytest.mark.journey_publish]


@pytest.fixture
def mastodon_server(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server = MastodonServer(followers=1234).start()
    yield server
    server.stop()


def test_an_ambassador_connects_mastodon_schedules_and_the_worker_publishes(
    page, live_server, charter, mastodon_server, axe
):
    alice = make_person("alice@example.com", "Alice Martin", "ambassador")
    post = make_post(
        "Nos éoliennes en mer", messages=[("mastodon", "fr", "Nos éoliennes tournent ! #énergie")]
    )
    page.goto("/accounts/login/")
    page.fill("input[name=username]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")

    # From the profile to my connected accounts, then the instance's consent page and back.
    page.goto("/accounts/profile/")
    page.click("a:text('Gérer mes comptes connectés')")
    page.wait_for_url("**/connections/")
    axe(page)
    page.fill("input[name=instance]", instance_of(mastodon_server))
    page.click("button:text('Connecter Mastodon')")
    page.wait_for_url(f"{mastodon_server.base_url}/oauth/authorize**")
    page.click("button:text('Authorize')")
    page.wait_for_url("**/connections/")
    assert "Votre compte Mastodon @alice@" in page.content()

    # The periodic task reads the followers; the page shows the server's figure.
    assert followers_read_all() == 1
    page.reload()
    assert "1234 abonnés, lu sur Mastodon" in page.content()

    # The share page: schedule for Monday 10:00 (Paris, the person's time zone).
    at = next_monday_at(10)
    page.goto(f"/share/{post.pk}/mastodon/")
    axe(page)
    page.fill("#publish-at", at.strftime("%Y-%m-%dT%H:%M"))
    page.click("button:text-is('Programmer')")
    page.wait_for_url("**/share/mine/")
    assert "Votre partage part sur Mastodon le" in page.content()
    assert "Programmé" in page.content() and mastodon_server.statuses == {}

    # The worker at that time.
    assert publications_publish_due(now=at) == 1
    page.reload()
    axe(page)
    status = next(iter(mastodon_server.statuses.values()))
    assert status["content"].startswith("Nos éoliennes tournent ! #énergie")
    link = page.locator(f"a[href='{status['url']}']")
    assert link.inner_text() == "Voir la publication"
    assert "Publié" in page.content()

    page.goto("/points/")
    assert page.locator(".total").inner_text() == "10 points"
    assert "Partage confirmé" in page.content()

    page.goto("/accounts/profile/")
    assert page.input_value("input[name=followers_mastodon]") == "1234"
    assert "lu sur Mastodon le" in page.content()
