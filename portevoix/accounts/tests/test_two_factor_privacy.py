"""Two-factor log-in is personal data: "My data" says whether it is on (never the secret nor the
codes), and erasure deletes the secret and the recovery codes."""

import json

from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import RecoveryCode, TwoFactor, TwoFactorPolicy
from portevoix.accounts.privacy import person_erase
from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.accounts.two_factor import two_factor_secret
from portevoix.accounts.two_factor_policy import two_factor_policy_update


def test_the_export_says_it_is_on_without_the_secret_or_the_codes(client_for, alice):
    _app, codes = app_for(alice)
    secret = two_factor_secret(TwoFactor.objects.get(person=alice))
    response = client_for(alice).get(reverse("accounts:my_data_export"))
    text = response.content.decode()
    section = json.loads(text)["account"]["two_factor"]
    assert section["enabled"] is True and section["recovery_codes_left"] == 10
    assert section["since"]
    assert secret not in text and not any(code in text for code in codes)


def test_the_export_says_it_is_off(client_for, bob):
    response = client_for(bob).get(reverse("accounts:my_data_export"))
    assert json.loads(response.content)["account"]["two_factor"]["enabled"] is False


def test_erasure_deletes_the_secret_and_the_codes(alice, carol):
    app_for(alice)
    two_factor_policy_update(required_for_pilots=True, by=carol)
    person_erase(person=alice)
    assert not TwoFactor.objects.filter(person_id=alice.pk).exists()
    assert not RecoveryCode.objects.filter(person_id=alice.pk).exists()


def test_the_policy_stays_without_the_admin_who_set_it(carol):
    make_person("zoe@example.com", "Zoé Admin", "admin")  # carol is not the last admin
    two_factor_policy_update(required_for_pilots=True, by=carol)
    person_erase(person=carol)
    policy = TwoFactorPolicy.objects.get()
    assert policy.required_for_pilots and policy.updated_by is None
