"""On a fresh demo, in French: an admin at 1280×800 sees the key figures with their trend before
any scroll, opens a top post from the overview and changes the period with a preset that the
URL keeps; an ambassador at 390×844 sees their tiles on the first screen of "my statistics".
Both pages pass axe, and the journey takes the screenshots of docs/analytics.md."""

from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import PASSWORD
from portevoix.core.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.journey_glance]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
# The tiles wholly visible in the window as it is, and how many of them show a trend.
TILES_IN_VIEW = """() => {
  const tiles = [...document.querySelectorAll('.tile')].filter(tile => {
    const box = tile.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
  return {inView: tiles.length, withTrend: tiles.filter(t => t.querySelector('.trend')).length};
}"""


@pytest.fixture
def demo(db):
    call_command("demo")


@pytest.fixture
def window(browser, live_server):
    """A page of the given size, with the pages' own Content-Security-Policy in force (the
    `axe` fixture evaluates axe through the debugging protocol, which the policy allows)."""
    contexts = []

    def open_window(width: int, height: int):
        context = browser.new_context(
            locale="fr-FR",
            base_url=live_server.url,
            viewport={"width": width, "height": height},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_window
    for context in contexts:
        context.close()


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")


def test_an_admin_reads_the_programme_at_a_glance(window, demo, axe):
    page = window(1280, 800)
    log_in(page, "admin@lumiere-demo.fr")
    page.click(".sidebar >> text=Tableau de bord")
    page.wait_for_url("**/analytics/")
    assert page.locator(".sidebar a[aria-current=page]").inner_text() == "Tableau de bord"
    assert page.evaluate("window.scrollY") == 0
    seen = page.evaluate(TILES_IN_VIEW)
    assert seen["inView"] >= 6 and seen["withTrend"] >= 6, seen
    assert page.locator(".period-words").inner_text().startswith("30 derniers jours · ")
    assert "heure de Paris" in page.locator(".period-words").inner_text()
    axe(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-desktop.png"))
    # The kind of each figure is a badge whose definition shows on focus.
    assert not page.locator("#kind-verified").is_visible()
    page.focus(".tile[data-figure=verified] .kind")
    assert page.locator("#kind-verified").is_visible()

    top_post = page.locator("#top-posts + ol a").first
    title = top_post.inner_text()
    top_post.click()
    page.wait_for_url("**/content/posts/*/")
    assert title in page.locator("h1").inner_text()
    page.go_back()

    page.click(".presets >> text=7 derniers jours")
    page.wait_for_url("**/analytics/?period=7d**")
    assert page.locator(".presets a[aria-current=true]").inner_text() == "7 derniers jours"
    assert page.locator(".period-words").inner_text().startswith("7 derniers jours · ")
    # Narrowing to a campaign keeps the preset, in the URL too (a view can be shared).
    page.select_option("#f-campaign", index=1)
    page.click("text=Appliquer")
    page.wait_for_url("**campaign=**")
    assert "period=7d" in page.url
    assert page.locator(".presets a[aria-current=true]").inner_text() == "7 derniers jours"
    page.reload()
    assert page.locator(".period-words").inner_text().startswith("7 derniers jours · ")
    axe(page)
    # The other pages keep the preset, and their long tables pass axe too.
    page.click(".tabs >> text=Campagnes, posts et ambassadeurs")
    page.wait_for_url("**/analytics/rankings/?period=7d**")
    axe(page)


def test_an_ambassador_sees_their_figures_first_on_a_phone(window, demo, axe):
    page = window(390, 844)
    log_in(page, "ambassadrice@lumiere-demo.fr")
    # The header holds one line: the daily destinations in view, the rest in the menu.
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 60, header
    page.click("nav summary >> text=Menu")
    page.click("nav >> text=Mes statistiques")
    page.wait_for_url("**/analytics/mine/")
    assert page.locator("h1").inner_text() == "Mes statistiques"
    seen = page.evaluate(TILES_IN_VIEW)
    assert seen["inView"] == page.locator(".tile").count() == 5, seen
    # The tiles come before the filters.
    tiles_bottom = page.locator(".tiles").bounding_box()
    filters_top = page.locator("form.filters").bounding_box()
    assert tiles_bottom["y"] + tiles_bottom["height"] <= filters_top["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    axe(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "my-statistics-phone.png"))


def test_an_editor_finds_the_groups_behind_the_menu_on_a_phone(window, bob, axe):
    page = window(390, 844)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", bob.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/")
    assert not page.locator("#site-menu").is_visible()  # no sidebar eating the phone's width
    page.click(".menu-toggle")  # a link to #site-menu: no JavaScript needed
    groups = page.locator("#site-menu h2").all_inner_texts()
    assert [group.upper() for group in groups] == [
        "CONTENU",
        "DIFFUSION",
        "COMMUNAUTÉ",
        "VEILLE",
        "MON ESPACE",
    ]
    axe(page)
    page.click("#site-menu >> text=Tableau de bord")
    page.wait_for_url("**/analytics/")
    assert not page.locator("#site-menu").is_visible()
