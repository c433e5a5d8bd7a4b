"""In a real Chromium, with the Content-Security-Policy on: the pages whose scripts moved to
static files still work (the post form reads a preview, the share page counts and copies), and
the browser reports no violation of the policy on them."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from portevoix.content.tests.factories import make_post
from portevoix.core.testing import Answer
from portevoix.veille.models import Watch

pytestmark = pytest.mark.browser

ARTICLE = """<html><head><meta property="og:title" content="Nos apprentis primés">
<meta property="og:description" content="Trois apprentis lyonnais."></head></html>""".encode()
# Registered before any page script runs (Playwright's init scripts are not subject to the
# page's policy): every violation the browser reports is kept for the test to read.
LISTEN = """window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it reports, by event or on the console."""
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(LISTEN)

    def violations() -> list[str]:
        reported = page.evaluate("window.__violations")
        logged = [t for t in console if "Content Security Policy" in t or "Refused to" in t]
        return reported + logged

    page.violations = violations
    return page


def log_in(page, email):
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_post_form_reads_a_preview_without_any_violation(watched, local_http, bob):
    local_http.route(
        "/article", Answer(body=ARTICLE, headers={"Content-Type": "text/html; charset=utf-8"})
    )
    log_in(watched, bob.email)
    response = watched.goto(reverse("content:post_new"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    watched.fill("input[name=url]", local_http.url("/article"))
    watched.press("input[name=url]", "Tab")
    watched.wait_for_selector("text=Aperçu lu depuis la page.")
    assert watched.input_value("input[name=title]") == "Nos apprentis primés"
    assert watched.violations() == []


def test_the_share_page_counts_and_copies_without_any_violation(watched, alice):
    post = make_post(messages=[("linkedin", "fr", "Bravo à nos équipes ! #collaborateur")])
    watched.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(watched, alice.email)
    watched.goto(reverse("sharing:share_on", args=[post.pk, "linkedin"]))
    counter = watched.locator(".counter")
    watched.fill("textarea[name=text]", "Fier de mon équipe #collaborateur")
    assert counter.inner_text().endswith("/ 3000")
    watched.goto(reverse("sharing:share_on", args=[post.pk, "copy"]))
    watched.fill("textarea[name=text]", "Fier de mon équipe #collaborateur")
    watched.click("button:text('Copier mon texte et mon lien')")
    watched.wait_for_selector("#copied-text")
    watched.click("button[data-copy]")
    watched.wait_for_selector(".copy-status:text('✓')")
    copied = watched.input_value("#copied-text")
    assert "Fier de mon équipe" in copied
    assert watched.evaluate("navigator.clipboard.readText()") == copied
    assert watched.violations() == []


def test_pages_with_style_attributes_and_error_pages_report_no_violation(watched, bob):
    Watch.objects.create(name="Marque", terms="lumière")
    log_in(watched, bob.email)
    watched.goto(reverse("veille:watches"))
    watched.wait_for_selector("ul.legend span")
    watched.goto("/no-such-page/")
    watched.wait_for_load_state("networkidle")
    assert watched.violations() == []
