"""The veille journey's sorting with the keyboard alone: an editor reaches the inbox from the
navigation, dismisses one item with Space and turns another into a draft post with Enter; the
focus shows on every element."""

import pytest

from conftest import PASSWORD
from portevoix.content.models import Post
from portevoix.core.testing_keyboard import log_in_with_the_keyboard, tab_to
from portevoix.veille.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.journey_veille]


def test_an_editor_sorts_the_inbox_with_the_keyboard_alone(page, live_server, bob, make_item, axe):
    strike = make_item("Grève à l'usine de Lyon", tone="negative")
    solar = make_item("Lumière Énergies inaugure son parc solaire")

    log_in_with_the_keyboard(page, bob.email, PASSWORD)
    tab_to(page, page.locator("nav a", has_text="À trier"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/veille/")
    assert page.locator("h1").inner_text() == "Articles à trier"
    axe(page)

    strike_card = page.locator("article", has_text="Grève à l'usine")
    tab_to(page, strike_card.get_by_role("button", name="Écarter"))
    page.keyboard.press("Space")
    strike_card.wait_for(state="detached")  # the inbox again, without it
    page.wait_for_load_state("load")
    strike.refresh_from_db()
    assert strike.dismissed_at is not None and strike.dismissed_by == bob
    axe(page)

    solar_card = page.locator("article", has_text="inaugure son parc solaire")
    tab_to(page, solar_card.get_by_role("button", name="En faire un brouillon"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/content/posts/*/edit/")
    post = Post.objects.get()
    assert (post.title, post.status) == ("Lumière Énergies inaugure son parc solaire", "draft")
    assert Item.objects.get(pk=solar.pk).post == post
    axe(page)
