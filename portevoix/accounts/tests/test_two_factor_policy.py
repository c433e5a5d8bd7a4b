"""The admin requires two-factor log-in of editors and admins; those without it set it up
before anything else. An admin resets the two-factor log-in of someone who lost their phone."""

import pyotp
import pytest
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import RecoveryCode, TwoFactor, TwoFactorPolicy
from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.accounts.two_factor import two_factor_secret, two_factor_setup_begin
from portevoix.accounts.two_factor_policy import two_factor_policy_update
from portevoix.content.models import Post
from portevoix.core.models import AuditEntry

POLICY = reverse("accounts:two_factor_policy")
SETUP = reverse("accounts:two_factor_setup")


@pytest.fixture
def required(carol):
    two_factor_policy_update(required_for_pilots=True, by=carol)


def test_the_admin_requires_it_and_the_audit_log_says_so(client_for, carol):
    response = client_for(carol).post(POLICY, {"required_for_pilots": "on"})
    # Carol herself has no two-factor log-in yet: the next page is its set-up.
    assert response.status_code == 302
    assert TwoFactorPolicy.objects.get().required_for_pilots
    entry = AuditEntry.objects.get(action="two_factor_policy_changed")
    assert entry.actor == carol
    assert entry.details == {"required_for_editors_and_admins": "yes"}


def test_the_admin_makes_it_optional_again(client_for, carol, bob, required):
    app_for(carol)
    response = client_for(carol).post(POLICY, {})  # the box unticked
    assert response.status_code == 302 and response["Location"] == POLICY
    assert not TwoFactorPolicy.objects.get().required_for_pilots
    entry = AuditEntry.objects.filter(action="two_factor_policy_changed").latest("pk")
    assert entry.details == {"required_for_editors_and_admins": "no"}
    assert client_for(bob).get(reverse("content:posts")).status_code == 200


def test_the_policy_page_names_the_pilot_team_without_it(client_for, carol, bob, alice):
    app_for(carol)
    page = client_for(carol).get(POLICY).content.decode()
    assert bob.full_name in page
    assert alice.full_name not in page  # an ambassador is never required to


@pytest.mark.parametrize(
    "name", ["core:home", "accounts:profile", "analytics:dashboard", "content:posts"]
)
def test_an_editor_without_it_is_sent_to_its_setup_from_every_page(client_for, bob, required, name):
    response = client_for(bob).get(reverse(name))
    assert response.status_code == 302 and response["Location"] == SETUP


def test_an_editor_without_it_can_do_nothing_else(client_for, bob, required):
    before = Post.objects.count()
    response = client_for(bob).post(reverse("content:post_new"), {"title": "Avant le 2FA"})
    assert response.status_code == 302 and response["Location"] == SETUP
    assert Post.objects.count() == before


def test_the_setup_page_and_the_log_out_stay_open(client_for, bob, required):
    client = client_for(bob)
    assert client.get(SETUP).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_installed_apps_files_stay_open(client_for, bob, required):
    client = client_for(bob)
    for name in ("core:manifest", "core:service_worker"):
        assert client.get(reverse(name)).status_code == 200, name


def test_right_after_the_log_in_the_editor_is_led_to_set_it_up(client, bob, required):
    bob.language = "en"
    bob.save(update_fields=["language"])
    response = client.post(
        reverse("accounts:login"), {"username": bob.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == SETUP
    assert "requires two-factor log-in for editors and administrators" in (
        response.content.decode()
    )


def test_once_set_up_the_editor_works_again(client_for, bob, required):
    client = client_for(bob)
    client.get(SETUP)
    app = pyotp.TOTP(two_factor_secret(two_factor_setup_begin(person=bob)))
    assert client.post(SETUP, {"code": app.now()}).status_code == 200
    assert client.get(reverse("content:posts")).status_code == 200


def test_ambassadors_are_not_required_to(client_for, alice, erin, dave, required):
    for person in (alice, erin, dave):
        assert client_for(person).get(reverse("core:home")).status_code == 200


def test_nothing_is_required_by_default(client_for, bob):
    assert client_for(bob).get(reverse("content:posts")).status_code == 200


def test_an_admin_resets_someones_two_factor_and_the_audit_log_says_so(client_for, carol, bob):
    app_for(bob)
    response = client_for(carol).post(reverse("accounts:person_two_factor_reset", args=[bob.pk]))
    assert response.status_code == 302
    assert not TwoFactor.objects.filter(person=bob).exists()
    assert not RecoveryCode.objects.filter(person=bob).exists()
    entry = AuditEntry.objects.get(action="two_factor_reset")
    assert (entry.actor, entry.target_person) == (carol, bob)


def test_an_admin_does_not_reset_their_own_from_the_people_page(client_for, carol):
    app_for(carol)
    client_for(carol).post(reverse("accounts:person_two_factor_reset", args=[carol.pk]))
    assert TwoFactor.objects.filter(person=carol).exists()
    assert not AuditEntry.objects.filter(action="two_factor_reset").exists()


def test_resetting_someone_without_it_changes_nothing(client_for, carol, bob):
    client_for(carol).post(reverse("accounts:person_two_factor_reset", args=[bob.pk]))
    assert not AuditEntry.objects.filter(action="two_factor_reset").exists()


def test_the_person_page_offers_the_reset_only_when_it_is_on(client_for, carol, bob):
    url = reverse("accounts:person_edit", args=[bob.pk])
    reset = reverse("accounts:person_two_factor_reset", args=[bob.pk])
    assert reset not in client_for(carol).get(url).content.decode()
    app_for(bob)
    assert reset in client_for(carol).get(url).content.decode()
