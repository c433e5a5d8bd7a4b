"""The second step of the log-in: after the right password, the person is not logged in until
the code of their app (or an unused recovery code) is right."""

import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import RecoveryCode
from portevoix.accounts.tests.two_factor_helpers import app_for, wrong_code
from portevoix.accounts.two_factor_login import PENDING_KEY

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")


def password_step(client, person, **extra):
    return client.post(LOGIN, {"username": person.email, "password": PASSWORD}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def client(db):
    """A browser that asks for English: the messages are read in English below."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def alices_app(alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    return app_for(alice)


def test_the_right_password_leads_to_the_code_not_into_the_account(client, alice, alices_app):
    response = password_step(client, alice)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not logged_in(client)
    assert client.get(VERIFY).status_code == 200


@pytest.mark.parametrize(
    "name", ["core:home", "accounts:profile", "accounts:my_data", "accounts:two_factor_setup"]
)
def test_no_page_opens_between_the_password_and_the_code(client, alice, alices_app, name):
    password_step(client, alice)
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_code_of_the_app_logs_the_person_in(client, alice, alices_app):
    app, _codes = alices_app
    password_step(client, alice)
    response = client.post(VERIFY, {"code": app.now()})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert logged_in(client)
    assert PENDING_KEY not in client.session
    assert client.get(reverse("core:home")).status_code == 200


def test_the_page_asked_for_before_the_log_in_opens_after_the_code(client, alice, alices_app):
    app, _codes = alices_app
    client.post(
        LOGIN + "?next=/accounts/profile/",
        {"username": alice.email, "password": PASSWORD, "next": "/accounts/profile/"},
    )
    response = client.post(VERIFY, {"code": app.now()})
    assert response["Location"] == reverse("accounts:profile")


def test_a_wrong_code_is_refused_with_a_reason(client, alice, alices_app):
    app, _codes = alices_app
    password_step(client, alice)
    response = client.post(VERIFY, {"code": wrong_code(app)})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not logged_in(client)


def test_a_code_works_once(client, alice, alices_app):
    app, _codes = alices_app
    code = app.now()
    password_step(client, alice)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    password_step(client, alice)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "already been used" in response.content.decode()
    assert not logged_in(client)


def test_the_code_used_to_set_it_up_does_not_log_in_again(client, alice):
    app, _codes = app_for(alice)  # confirmed with the previous step's code
    password_step(client, alice)
    response = client.post(VERIFY, {"code": app.at(time.time(), counter_offset=-1)})
    assert "already been used" in response.content.decode()
    assert not logged_in(client)


def test_a_recovery_code_logs_in_once(client, alice, alices_app):
    _app, codes = alices_app
    password_step(client, alice)
    response = client.post(VERIFY, {"code": codes[3].upper()}, follow=True)
    assert logged_in(client)
    assert "9 left" in response.content.decode()
    assert RecoveryCode.objects.filter(person=alice, used_at__isnull=False).count() == 1

    client.post(reverse("accounts:logout"))
    password_step(client, alice)
    response = client.post(VERIFY, {"code": codes[3]})
    assert "This recovery code has already been used" in response.content.decode()
    assert not logged_in(client)


def test_recovery_codes_are_only_kept_as_digests(alice, alices_app):
    _app, codes = alices_app
    stored = list(RecoveryCode.objects.filter(person=alice).values_list("digest", flat=True))
    assert len(stored) == len(codes) == 10
    assert not {c.replace("-", "") for c in codes} & {d for d in stored}
    assert all(len(digest) == 64 for digest in stored)


def test_someone_elses_recovery_code_does_not_work(client, alice, bob, alices_app):
    _app, bobs_codes = app_for(bob)
    password_step(client, alice)
    response = client.post(VERIFY, {"code": bobs_codes[0]})
    assert "neither the code your app shows" in response.content.decode()
    assert not logged_in(client)


def test_wrong_codes_are_limited_like_passwords(client, alice, alices_app, settings):
    settings.LOGIN_RATE = "3/m"
    app, _codes = alices_app
    password_step(client, alice)
    for _ in range(3):
        assert client.post(VERIFY, {"code": wrong_code(app)}).status_code == 200
    # Even the right code is refused once the account had its failures.
    response = client.post(VERIFY, {"code": app.now()})
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_code_limit_also_holds_from_a_new_browser(alice, alices_app, settings):
    """Guessing with new sessions, one password step each, does not reset the count."""
    settings.LOGIN_RATE = "3/m"
    app, _codes = alices_app
    for _ in range(3):
        browser = Client(HTTP_ACCEPT_LANGUAGE="en")
        password_step(browser, alice)
        browser.post(VERIFY, {"code": wrong_code(app)})
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    password_step(browser, alice)
    assert browser.post(VERIFY, {"code": app.now()}).status_code == 429


def test_a_pending_log_in_expires(client, alice, alices_app):
    app, _codes = alices_app
    password_step(client, alice)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "until": time.time() - 1}
    session.save()
    response = client.post(VERIFY, {"code": app.now()}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "took too long" in response.content.decode()
    assert not logged_in(client)


def test_the_code_page_without_a_password_first_goes_to_the_log_in(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_a_password_changed_meanwhile_voids_the_pending_log_in(client, alice, alices_app):
    app, _codes = alices_app
    password_step(client, alice)
    alice.set_password("un-tout-autre-mot-de-passe-3")
    alice.save()
    response = client.post(VERIFY, {"code": app.now()})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not logged_in(client)


def test_a_person_without_two_factor_logs_in_with_the_password_alone(client, bob, alice):
    app_for(alice)
    response = password_step(client, bob)
    assert response["Location"] == reverse("core:home")
    assert logged_in(client)


def test_the_password_reset_link_still_asks_for_the_code(client, alice, alices_app):
    app, _codes = alices_app
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    response = client.get("/" + link.split("/", 3)[3], follow=True)
    new = "nouveau-mot-de-passe-77"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == VERIFY
    assert not logged_in(client)
    alice.refresh_from_db()
    assert alice.check_password(new)
    assert client.post(VERIFY, {"code": app.now()})["Location"] == reverse("core:home")
    assert logged_in(client)
