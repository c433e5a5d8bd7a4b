"""The share journey with the keyboard alone: an ambassador logs in, opens a post from the feed
and shares it to LinkedIn with Tab and Enter, never a click; every element the focus passes
shows it."""

import pytest

from conftest import PASSWORD
from portevoix.content.tests.factories import make_post
from portevoix.core.testing_keyboard import log_in_with_the_keyboard, tab_to
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink

pytestmark = [pytest.mark.browser, pytest.mark.journey_share]


def test_an_ambassador_shares_a_post_with_the_keyboard_alone(page, live_server, alice, axe):
    post = make_post(
        "Nos apprentis décrochent le prix de l'innovation",
        messages=[("linkedin", "fr", "Bravo à nos apprentis !")],
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.context.route(
        "https://www.linkedin.com/**",
        lambda route: route.fulfill(body="<html>LinkedIn</html>", content_type="text/html"),
    )

    log_in_with_the_keyboard(page, alice.email, PASSWORD)
    card = page.locator("article.feed-card", has_text="Nos apprentis décrochent")
    axe(page)
    tab_to(page, card.locator("h3 a"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/share/{post.pk}/")
    page.wait_for_load_state("load")  # its script copies the text on sending
    axe(page)

    tab_to(page, page.locator("textarea[name=text]"))
    page.keyboard.press("End")
    page.keyboard.type(" Fière d'eux.")
    share_button = page.locator(".share-form button[type=submit]", has_text="LinkedIn")
    tab_to(page, share_button)
    with page.expect_request(lambda r: r.url.startswith("https://www.linkedin.com/")):
        page.keyboard.press("Enter")

    share = Share.objects.get()
    link = TrackedLink.objects.get(post=post, ambassador=alice, network="linkedin")
    assert (share.person, share.post, share.network, share.tracked_link) == (
        alice,
        post,
        "linkedin",
        link,
    )
    assert share.text == "Bravo à nos apprentis ! Fière d'eux."
