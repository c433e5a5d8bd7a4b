"""Setting up two-factor log-in from the profile, renewing the recovery codes, turning it off."""

import re
import time

import pyotp
import pytest
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import RecoveryCode, TwoFactor
from portevoix.accounts.tests.two_factor_helpers import app_for, wrong_code
from portevoix.accounts.two_factor_policy import two_factor_policy_update

SETUP = reverse("accounts:two_factor_setup")


@pytest.fixture
def english(alice, carol):
    for person in (alice, carol):
        person.language = "en"
        person.save(update_fields=["language"])


def secret_on_page(html: str) -> str:
    """What a person types into their app when they cannot scan the QR code."""
    found = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', html)
    assert found, html
    return found.group(1).replace(" ", "")


def codes_on_page(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)


def test_the_profile_offers_to_set_it_up(client_for, alice, english):
    page = client_for(alice).get(reverse("accounts:profile")).content.decode()
    assert SETUP in page and "Set up two-factor log-in" in page


def test_the_setup_page_shows_a_qr_code_and_the_key(client_for, alice, english):
    html = client_for(alice).get(SETUP).content.decode()
    assert "<svg" in html and 'class="qr-code"' in html
    assert len(secret_on_page(html)) == 32
    # Reloading after scanning shows the same secret.
    assert secret_on_page(client_for(alice).get(SETUP).content.decode()) == secret_on_page(html)


def test_the_right_code_turns_it_on_and_shows_the_recovery_codes_once(client_for, alice, english):
    client = client_for(alice)
    app = pyotp.TOTP(secret_on_page(client.get(SETUP).content.decode()))
    response = client.post(SETUP, {"code": app.now()})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = codes_on_page(response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    two_factor = TwoFactor.objects.get(person=alice)
    assert two_factor.confirmed_at is not None
    assert RecoveryCode.objects.filter(person=alice).count() == 10
    # Never again: the profile only counts them.
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "10 recovery codes left" in profile
    assert not any(code in profile for code in codes)


def test_the_secret_is_sealed_in_the_database(client_for, alice, english):
    client = client_for(alice)
    secret = secret_on_page(client.get(SETUP).content.decode())
    stored = bytes(TwoFactor.objects.get(person=alice).secret_sealed)
    assert secret.encode() not in stored


def test_a_wrong_code_turns_nothing_on(client_for, alice, english):
    client = client_for(alice)
    app = pyotp.TOTP(secret_on_page(client.get(SETUP).content.decode()))
    response = client.post(SETUP, {"code": wrong_code(app)})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert TwoFactor.objects.get(person=alice).confirmed_at is None
    assert not RecoveryCode.objects.filter(person=alice).exists()


def test_an_empty_code_is_refused(client_for, alice, english):
    client = client_for(alice)
    client.get(SETUP)
    response = client.post(SETUP, {"code": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert TwoFactor.objects.get(person=alice).confirmed_at is None


def test_once_on_the_setup_page_sends_back_to_the_profile(client_for, alice, english):
    app_for(alice)
    response = client_for(alice).get(SETUP)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")


def test_new_recovery_codes_replace_the_old_ones(client_for, client, alice, english):
    _app, old = app_for(alice)
    response = client_for(alice).post(
        reverse("accounts:two_factor_recovery_codes"), {"password": PASSWORD}
    )
    assert "no-store" in response["Cache-Control"]
    new = codes_on_page(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(person=alice).count() == 10


def test_new_recovery_codes_need_the_password(client_for, alice, english):
    app_for(alice)
    before = list(RecoveryCode.objects.filter(person=alice).values_list("digest", flat=True))
    response = client_for(alice).post(
        reverse("accounts:two_factor_recovery_codes"), {"password": "wrong"}, follow=True
    )
    assert "Wrong password" in response.content.decode()
    after = list(RecoveryCode.objects.filter(person=alice).values_list("digest", flat=True))
    assert after == before


def test_turning_it_off_needs_the_password(client_for, alice, english):
    app_for(alice)
    client = client_for(alice)
    response = client.post(reverse("accounts:two_factor_off"), {"password": "wrong"}, follow=True)
    assert "Wrong password" in response.content.decode()
    assert TwoFactor.objects.filter(person=alice).exists()
    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert not TwoFactor.objects.filter(person=alice).exists()
    assert not RecoveryCode.objects.filter(person=alice).exists()


def test_it_cannot_be_turned_off_where_the_admin_requires_it(client_for, bob, carol):
    app_for(bob)
    two_factor_policy_update(required_for_pilots=True, by=carol)
    response = client_for(bob).post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert response.status_code == 302
    assert TwoFactor.objects.filter(person=bob, confirmed_at__isnull=False).exists()


def test_setup_codes_follow_the_app_over_time(alice):
    """The code of the step before, now, and after are all accepted (a phone's clock drifts),
    not one further away."""
    from portevoix.accounts.two_factor import (
        CodeRefused,
        two_factor_confirm,
        two_factor_secret,
        two_factor_setup_begin,
    )

    app = pyotp.TOTP(two_factor_secret(two_factor_setup_begin(person=alice)))
    with pytest.raises(CodeRefused):
        two_factor_confirm(person=alice, code=app.at(time.time(), counter_offset=-3))
    assert two_factor_confirm(person=alice, code=app.at(time.time(), counter_offset=1))
