"""A new employee signs in through the company's OpenID provider (oidc-provider on loopback)
in Chromium, lands on the opt-in and the charter, and shares a post — in French."""

import pytest

from portevoix.accounts.models import CharterAcceptance, Person
from portevoix.content.tests.factories import make_post
from portevoix.identity.models import GroupRule, SsoLink
from portevoix.identity.tests.conftest import oidc_provider_record
from portevoix.identity.tests.oidc_idp import PASSWORD, OidcTestProvider, node_or_skip
from portevoix.sharing.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.journey_sso]


@pytest.fixture
def company_idp(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    provider = OidcTestProvider(node_or_skip(), [live_server.url + "/sso/acme/oidc/callback/"])
    yield provider
    provider.stop()


def test_a_new_employee_signs_in_through_sso_joins_and_shares(
    page, live_server, charter, company_idp, axe
):
    from portevoix.accounts.models import Group

    acme = oidc_provider_record(
        slug="acme", domains="acme.test", issuer=company_idp.issuer, group_claim="department"
    )
    marketing = Group.objects.create(name="Marketing")
    GroupRule.objects.create(provider=acme, value="Marketing", group=marketing)
    post = make_post(
        "Nos apprentis primés", messages=[("linkedin", "fr", "Bravo à nos apprentis !")]
    )

    # E-mail first: the log-in page sends an acme.test address to the company's provider.
    page.goto("/accounts/login/")
    assert "laissez le mot de passe vide" in page.content()
    axe(page)
    page.fill("input[name=username]", "nina@acme.test")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(company_idp.issuer + "/interaction/**")
    assert page.input_value("input[name=email]") == "nina@acme.test"  # the login hint
    page.fill("input[name=password]", PASSWORD)
    page.click("button:text('Sign in')")

    # Back home with a new account, which has not joined the programme: SSO opts nobody in.
    page.wait_for_url("**/accounts/welcome/")
    nina = Person.objects.get(email="nina@acme.test")
    assert nina.opted_in_at is None
    assert list(nina.groups.all()) == [marketing]
    assert SsoLink.objects.get(person=nina).subject == "sub-nina"
    page.click("text=Je veux devenir ambassadeur")
    page.wait_for_url("**/accounts/charter/")
    page.click("text=J'ai lu et j'accepte la charte")
    page.wait_for_url(live_server.url + "/")
    assert CharterAcceptance.objects.filter(person=nina, version=charter).exists()

    # And shares: the LinkedIn share page opens with her own tracked link.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.context.route(
        "https://www.linkedin.com/**",
        lambda route: route.fulfill(body="<html>LinkedIn</html>", content_type="text/html"),
    )
    card = page.locator("article.feed-card", has_text="Nos apprentis primés")
    card.locator("h3 a").click()  # the share page (the card's button opens the share sheet)
    page.wait_for_url(f"**/share/{post.pk}/")
    with page.expect_request(lambda r: r.url.startswith("https://www.linkedin.com/")):
        page.click("button:text('Partager sur LinkedIn')")
    share = Share.objects.get()
    assert (share.person, share.network, share.post) == (nina, "linkedin", post)
