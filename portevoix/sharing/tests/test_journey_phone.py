"""An ambassador on a phone (390×844, touch): logs in, shares the first feed post from its card
in two taps through the share sheet, then loses the network: the feed opens from what the app
kept, says it is offline, and comes back when the network does. The app passes Chromium's
installability check. The journey takes the screenshots of docs/sharing.md."""

import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from conftest import PASSWORD
from portevoix.accounts.models import NetworkAccount
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink

pytestmark = [pytest.mark.browser, pytest.mark.journey_phone]

PHONE = {"width": 390, "height": 844}
CACHE_NAMES = "async () => await caches.keys()"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        locale="fr-FR",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=1,
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_an_ambassador_shares_from_the_feed_in_two_taps_and_reads_it_offline(
    phone, live_server, alice, axe
):
    page = phone
    NetworkAccount.objects.create(person=alice, network="mastodon", followers=40)
    NetworkAccount.objects.create(person=alice, network="linkedin", followers=800)
    make_post(
        "Notre usine de Lyon recrute 40 techniciens",
        messages=[("", "fr", "Lyon recrute : venez nous rejoindre ! #emploi")],
    )
    make_post("Un post plus ancien", published_at=timezone.now() - timedelta(days=2))

    log_in(page, alice.email)
    # The service worker installs at the first visit and takes charge of the pages after it.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # Read once, the welcome and the checklist fold: the first post's share action is on the
    # first screen.
    assert page.locator("details.checklist:not([open])").count() == 1
    assert in_first_screen(page, page.locator("article.feed-card a.share-action").first)
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "phone-feed.png"))

    # Chromium's own installability check: manifest, icons, service worker. (In a page of its
    # own: a debugging session attached to the journey's page would change how Playwright
    # routes and emulates the network there.)
    checked = page.context.new_page()
    checked.goto("/")
    checked.wait_for_function("() => navigator.serviceWorker.controller !== null")
    cdp = page.context.new_cdp_session(checked)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito windows, where Chromium never offers to install.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []
    cdp.detach()
    checked.close()

    # Tap 1: the card's share action opens the sheet, my most followed network first.
    card = page.locator("article.feed-card").first
    assert "Notre usine de Lyon" in card.inner_text()
    card.locator("a.share-action").tap()
    sheet = page.locator("dialog.sheet[open]")
    first = sheet.locator("button[name=network]").first
    assert first.inner_text() == "Partager sur LinkedIn"
    assert sheet.locator("button[name=network]").nth(1).inner_text() == "Partager sur Mastodon"
    text = sheet.locator("textarea[name=text]")
    assert text.input_value() == "Lyon recrute : venez nous rejoindre ! #emploi"
    assert in_first_screen(page, text) and in_first_screen(page, first)
    assert "/ 3000 pour LinkedIn" in sheet.locator(".counter").inner_text()
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "phone-share-sheet.png"))

    # Tap 2: LinkedIn. There is no internet here, and Playwright's routes do not reach pages
    # under a service worker: LinkedIn's page fails to load; the request itself is the proof.
    my_text = "Lyon recrute, et j'y travaille avec plaisir ! #emploi"
    text.fill(my_text)

    def left_for_linkedin(frame) -> bool:
        return frame == page.main_frame and not frame.url.startswith(live_server.url)

    def to_linkedin(request) -> bool:
        return request.url.startswith("https://www.linkedin.com/")

    with (
        page.expect_event("framenavigated", left_for_linkedin),
        page.expect_request(to_linkedin) as opened,
    ):
        first.tap()
    link = TrackedLink.objects.get(ambassador=alice, network="linkedin")
    assert parse_qs(urlsplit(opened.value.url).query) == {"url": [link.short_url]}
    share = Share.objects.get()
    assert (share.person, share.network, share.text) == (alice, "linkedin", my_text)

    # Back to the feed online (the app keeps it), then offline: the kept feed, said offline.
    page.goto("/")
    assert page.evaluate("navigator.clipboard.readText()") == my_text  # to paste in LinkedIn
    assert "Déjà partagé" in page.locator("article.feed-card").first.inner_text()
    page.context.set_offline(True)
    page.reload()
    banner = page.wait_for_selector(".offline-banner", state="visible")
    assert "hors ligne" in banner.inner_text()
    assert "Notre usine de Lyon" in page.locator("article.feed-card").first.inner_text()
    # Sharing offline is refused plainly, nothing is recorded.
    page.locator("article.feed-card a.share-action").first.tap()
    assert "besoin d'une connexion" in page.locator("dialog.sheet[open]").inner_text()
    page.locator("dialog.sheet[open] .sheet-close button").tap()
    # A page the app did not keep: the offline page, not the browser's error.
    page.goto("/share/mine/")
    assert "Vous êtes hors ligne" in page.locator("h1").inner_text()

    page.context.set_offline(False)
    page.goto("/")
    page.wait_for_selector("article.feed-card")
    page.wait_for_load_state("load")  # the page's scripts have run
    assert page.locator(".offline-banner").count() == 0
    assert Share.objects.count() == 1

    # From a notification or a digest e-mail, the link opens the share page (tap 1): my text
    # and the button of the network I use most are on the first screen (tap 2).
    post = Share.objects.get().post
    page.goto(f"/share/{post.pk}/")
    button = page.locator(".share-form button[type=submit]").last
    assert button.inner_text() == "Partager sur LinkedIn"
    assert in_first_screen(page, page.locator(".share-form textarea[name=text]"))
    assert in_first_screen(page, button), button.bounding_box()
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "phone-share-page.png"))

    # Logging out forgets the kept feed: it names the person.
    assert any(name.startswith("portevoix-pages-") for name in page.evaluate(CACHE_NAMES))
    page.locator("nav summary", has_text="Menu").tap()  # log-out is in the menu
    page.locator("form[action='/accounts/logout/'] button").tap()
    page.wait_for_url("**/accounts/login/")
    deadline = time.monotonic() + 5
    while any(name.startswith("portevoix-pages-") for name in page.evaluate(CACHE_NAMES)):
        assert time.monotonic() < deadline, "the kept feed outlived the log-out"
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")


def test_the_share_sheet_is_walked_with_the_keyboard(page, live_server, alice, axe):
    """Keyboard only: Tab to a card's share action, Enter opens the sheet with the focus on the
    first network, Tab reaches the text, Escape closes it and gives the focus back."""
    make_post("Portes ouvertes samedi", messages=[("", "fr", "Venez nous voir samedi !")])
    log_in(page, alice.email)
    share_action = page.locator("article.feed-card a.share-action").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if share_action.evaluate("link => link === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the share action")
    # The focus is visible: our outline, not the browser's default or none.
    assert share_action.evaluate("link => getComputedStyle(link).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    sheet = page.locator("dialog.sheet[open]")
    sheet.wait_for()
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Partager sur LinkedIn"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.name") == "text"
    axe(page)
    page.keyboard.press("Escape")
    sheet.wait_for(state="detached")
    assert share_action.evaluate("link => link === document.activeElement")
    page.wait_for_load_state("networkidle")


def test_the_devices_own_share_sheet_gets_my_text_and_my_tracked_link(page, live_server, alice):
    """Where the browser has the Web Share API (phones), "Other apps…" records the share and
    hands my text and my tracked link to the device's share sheet. Desktop Chromium on Linux has
    none: the test gives the page one that keeps what it receives, as a phone's would."""
    make_post("Portes ouvertes samedi", messages=[("", "fr", "Venez nous voir samedi !")])
    page.add_init_script(
        "navigator.share = (data) => { window.sharedWithDevice = data; return Promise.resolve(); }"
    )
    log_in(page, alice.email)
    page.locator("article.feed-card a.share-action").first.click()
    sheet = page.locator("dialog.sheet[open]")
    sheet.locator("textarea[name=text]").fill("Samedi, venez !")
    sheet.locator("button.device-share").click()
    sheet.locator(".sheet-status", has_text="Partagé. Merci !").wait_for()
    shared = page.evaluate("() => window.sharedWithDevice")
    link = TrackedLink.objects.get(ambassador=alice, network="copy")
    assert shared == {
        "title": "Portes ouvertes samedi",
        "text": "Samedi, venez !",
        "url": link.short_url,
    }
    share = Share.objects.get()
    assert (share.network, share.text, share.tracked_link) == ("copy", "Samedi, venez !", link)
    page.wait_for_load_state("networkidle")
