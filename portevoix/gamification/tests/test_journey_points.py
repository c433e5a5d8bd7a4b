"""An ambassador shares a post; a reader clicks the tracked link (through the real redirect and
ingestion); the ambassador's points and rank update on their pages."""

import pytest

from conftest import PASSWORD, make_person
from portevoix.content.tests.factories import make_post
from portevoix.gamification.points import points_award
from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import TrackedLink
from portevoix.tracking.tests.conftest import call, django_fallback

pytestmark = [pytest.mark.browser, pytest.mark.journey_points]


def test_a_verified_click_brings_points_and_a_better_rank(
    page, live_server, charter, settings, tmp_path, axe
):
    settings.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    alice = make_person("alice@example.com", "Alice Martin", "ambassador")
    rival = make_person("rival@example.com", "Rémi Rival", "ambassador")
    points_award(
        person=rival, action="lesson_completed", source="lesson:1", at=charter.published_at
    )
    make_post(
        "Nos apprentis primés", messages=[("x", "fr", "Bravo à nos apprentis ! #collaborateur")]
    )

    page.goto("/accounts/login/")
    page.fill("input[name=username]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")

    page.context.route(
        "https://twitter.com/**",
        lambda route: route.fulfill(body="<html>X</html>", content_type="text/html"),
    )
    # The share page (the card's button opens the share sheet).
    page.locator("article.feed-card", has_text="Nos apprentis primés").locator("h3 a").click()
    page.click(".networks a:text-is('X')")
    with page.expect_request(lambda r: r.url.startswith("https://twitter.com/")):
        page.click("button:text('Partager sur X')")

    points = page.context.new_page()
    points.goto("/points/")
    assert "0 point" in points.locator(".total").inner_text()  # opening a share page earns nothing
    points.goto("/points/leaderboard/?period=all")
    assert "Rémi Rival" in points.content() and "Alice Martin" not in points.content()
    axe(points)

    # A reader opens the link; the worker ingests the inbox.
    link = TrackedLink.objects.get(ambassador=alice)
    redirect = RedirectApp(django_fallback, links=LinkCache(check_every=0))
    try:
        assert call(redirect, f"/s/{link.code}", ip="198.51.100.20").status == 302
    finally:
        redirect.committer.close()
    clicks_ingest()

    points.goto("/points/")
    assert points.locator(".total").inner_text() == "12 points"  # share 10 + verified click 2
    assert "Partage confirmé" in points.content() and "Clic vérifié reçu" in points.content()
    assert "Premier partage" in points.content()
    axe(points)
    points.goto("/points/leaderboard/?period=all")
    assert "Votre rang : 2 avec 12 points." in points.content()
    rows = points.locator("tbody tr").all_inner_texts()
    assert rows[0].startswith("1\tRémi Rival") and rows[1].startswith("2\tAlice Martin")
