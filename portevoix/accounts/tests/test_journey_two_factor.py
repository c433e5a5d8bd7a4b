"""An editor sets up two-factor log-in from the profile with an authenticator app, logs out,
and logs in again with the password then the app's code — in French, in a real browser, with
the set-up, recovery-code and code pages checked by axe."""

import pyotp
import pytest

from conftest import PASSWORD
from portevoix.accounts.models import RecoveryCode, TwoFactor
from portevoix.accounts.tests.two_factor_helpers import steady_now, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.journey_two_factor]


def log_in_with_password(page, person) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_an_editor_sets_up_an_authenticator_and_logs_in_with_its_code(page, live_server, axe, bob):
    log_in_with_password(page, bob)
    page.wait_for_url(live_server.url + "/")
    page.goto("/accounts/profile/")
    section = page.locator("#two-factor")
    assert "Double authentification" in section.inner_text()
    section.locator("text=Configurer la double authentification").click()

    page.wait_for_url("**/accounts/two-factor/setup/")
    assert page.locator("h1").inner_text() == "Configurer la double authentification"
    assert page.locator("svg.qr-code").is_visible()
    axe(page)
    # The app: the key typed by hand (the QR code holds the same), then the code it shows.
    # The person took a moment, so it is the code of the previous step, still accepted.
    app = pyotp.TOTP(page.locator(".totp-secret").inner_text().replace(" ", ""))
    page.fill("input[name=code]", app.at(steady_now(app), counter_offset=-1))
    page.click("text=Activer la double authentification")

    assert page.locator("h1").inner_text() == "Vos codes de secours"
    assert page.locator(".recovery-codes li").count() == 10
    axe(page)
    page.click("text=Je les ai mis de côté")
    page.wait_for_url("**/accounts/profile/")
    assert "10 codes de secours restants" in page.locator("#two-factor").inner_text()
    assert TwoFactor.objects.get(person=bob).confirmed_at is not None
    assert RecoveryCode.objects.filter(person=bob).count() == 10

    page.locator("header form[action='/accounts/logout/']").first.evaluate(
        "form => form.requestSubmit()"
    )
    page.wait_for_url("**/accounts/login/")

    log_in_with_password(page, bob)
    page.wait_for_url("**/accounts/two-factor/")
    assert page.locator("h1").inner_text() == "Double authentification"
    axe(page)
    # Not logged in yet: the profile sends back to the log-in page.
    page.goto("/accounts/profile/")
    assert "/accounts/login/" in page.url
    page.goto("/accounts/two-factor/")
    page.fill("input[name=code]", wrong_code(app))
    page.click("main button[type=submit]")
    assert "Ce code n'est pas le bon" in page.content()
    page.fill("input[name=code]", app.now())
    page.click("main button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.goto("/accounts/profile/")
    assert page.locator("h1").inner_text() == "Mon profil"
