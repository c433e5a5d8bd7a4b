"""An editor creates a post (its preview read from the page) with two message variants and
publishes it; an ambassador sees it in their feed, edits the text, shares to LinkedIn, and the
LinkedIn share page that opens carries their personal tracked link — in French."""

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import PASSWORD
from portevoix.content.compliance import compliance_update
from portevoix.content.models import Post
from portevoix.core.testing import Answer
from portevoix.sharing.models import Share
from portevoix.tracking.models import TrackedLink

pytestmark = [pytest.mark.browser, pytest.mark.journey_share]

ARTICLE = """<html><head>
<meta property="og:title" content="Nos apprentis décrochent le prix de l'innovation">
<meta property="og:description" content="Trois apprentis lyonnais récompensés.">
</head><body>…</body></html>"""


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_editor_publishes_and_an_ambassador_shares_to_linkedin(
    page, live_server, local_http, bob, alice, carol, axe
):
    compliance_update(blocked_words=["confidentiel"], disclosure_tag="#collaborateur", by=carol)
    local_http.route(
        "/apprentis",
        Answer(body=ARTICLE.encode(), headers={"Content-Type": "text/html; charset=utf-8"}),
    )
    article_url = local_http.url("/apprentis?source=blog")

    # The editor: the preview comes from the page as soon as the URL is entered.
    log_in(page, bob.email)
    page.click("nav >> text=Posts")
    page.click("text=Nouveau post")
    page.wait_for_url("**/content/posts/new/")  # loaded: its script listens to the URL field
    axe(page)
    page.fill("input[name=url]", article_url)
    page.press("input[name=url]", "Tab")
    page.wait_for_selector("text=Aperçu lu depuis la page.")
    assert (
        page.input_value("input[name=title]") == "Nos apprentis décrochent le prix de l'innovation"
    )
    assert (
        page.input_value("textarea[name=preview_description]")
        == "Trois apprentis lyonnais récompensés."
    )
    page.select_option("select[name=messages-0-network]", "linkedin")
    page.fill("textarea[name=messages-0-text]", "Bravo à nos apprentis ! #collaborateur")
    page.fill(
        "textarea[name=messages-1-text]", "Trois apprentis primés, quelle fierté. #collaborateur"
    )
    page.click("button:text('Enregistrer')")
    page.wait_for_selector("text=Post enregistré.")
    axe(page)
    page.click("button:text('Publier')")
    page.wait_for_selector("text=C'est fait : le post est publié ou programmé.")
    post = Post.objects.get()
    assert post.status == "published" and post.messages.count() == 2
    page.click("text=Se déconnecter")

    # The ambassador: the post is in the feed; they edit the text and share to LinkedIn.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, alice.email)
    card = page.locator("article.feed-card", has_text="Nos apprentis décrochent")
    axe(page)
    card.locator("h3 a").click()  # the share page (the card's button opens the share sheet)
    page.wait_for_url(f"**/share/{post.pk}/")  # loaded: its script copies the text on sending
    axe(page)
    textarea = page.locator("textarea[name=text]")
    assert (
        textarea.input_value() == "Bravo à nos apprentis ! #collaborateur"
    )  # the LinkedIn variant
    assert "collez-le dans la fenêtre de LinkedIn" in page.content()

    # Without the disclosure tag, the server refuses and says why.
    textarea.fill("Sans la mention")
    page.click("button:text('Partager sur LinkedIn')")
    page.wait_for_selector("text=Ajoutez #collaborateur")
    axe(page)
    assert not Share.objects.exists()

    # No internet here: LinkedIn is answered by the test; the request itself is the proof.
    page.context.route(
        "https://www.linkedin.com/**",
        lambda route: route.fulfill(body="<html>LinkedIn</html>", content_type="text/html"),
    )
    my_text = "Je les ai accompagnés toute l'année : bravo à nos apprentis ! #collaborateur"
    page.locator("textarea[name=text]").fill(my_text)
    with page.expect_request(lambda r: r.url.startswith("https://www.linkedin.com/")) as opened:
        page.click("button:text('Partager sur LinkedIn')")
    request = opened.value
    # Our share page answered the form with a redirect to LinkedIn's documented share page.
    assert request.redirected_from is not None
    assert request.redirected_from.url.endswith(f"/share/{post.pk}/")

    link = TrackedLink.objects.get(post=post, ambassador=alice, network="linkedin")
    assert request.url.startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert parse_qs(urlsplit(request.url).query) == {"url": [link.short_url]}
    share = Share.objects.get()
    assert (share.person, share.network, share.text, share.tracked_link) == (
        alice,
        "linkedin",
        my_text,
        link,
    )
    destination = parse_qs(urlsplit(link.destination).query)
    assert destination["source"] == ["blog"] and destination["utm_source"] == ["linkedin"]

    # Back in the feed (a new tab: the first one is LinkedIn's now): the edited text was copied
    # to paste in LinkedIn, and the post is marked as shared.
    feed = page.context.new_page()
    feed.goto("/")
    assert feed.evaluate("navigator.clipboard.readText()") == my_text
    card = feed.locator("article.feed-card", has_text="Nos apprentis décrochent")
    assert "Déjà partagé" in card.inner_text()
    axe(feed)
    feed.goto("/share/mine/")
    assert link.short_url in feed.locator("table").first.inner_text()  # then my publications
    axe(feed)
    # Let the browser's own requests (manifest, icon) finish before the live server stops.
    feed.wait_for_load_state("networkidle")
