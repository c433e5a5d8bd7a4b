"""`active: false`: the leaver rule the admin chose, sessions ended, history kept."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from portevoix.accounts.invitations import invitation_create, invitation_for_token
from portevoix.accounts.models import Person
from portevoix.accounts.participation import sharing_block_reason
from portevoix.core.models import AuditEntry
from portevoix.scim.models import LeaverRule, ProvisioningSettings
from portevoix.scim.tests.conftest import entra_user

LEAVE = [{"op": "Replace", "path": "active", "value": "False"}]  # Entra sends a string


def _provision_alice(provider) -> str:
    return provider.post("/Users", entra_user("alice@example.com")).body["id"]


def test_a_leaver_is_deactivated_signed_out_and_shares_nothing_more(provider, alice):
    scim_id = _provision_alice(provider)
    browser = Client()
    browser.force_login(alice)
    assert browser.get(reverse("core:home")).status_code == 200
    _invitation, token = invitation_create(email=alice.email, full_name=alice.full_name)

    answer = provider.patch(f"/Users/{scim_id}", LEAVE)
    assert answer.status == 200, answer.body
    assert answer.body["active"] is False
    alice.refresh_from_db()
    assert not alice.is_active and alice.deactivated_at is not None
    assert alice.opted_in_at is not None  # history kept
    assert sharing_block_reason(alice) is not None
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()
    assert browser.get(reverse("core:home")).status_code == 302  # signed out
    assert invitation_for_token(token) is None  # no way back in through an old invitation
    assert AuditEntry.objects.filter(action="scim_person_deactivated", target_person=alice).exists()


def test_a_leaver_becomes_alumni_when_the_admin_says_so(provider, alice):
    ProvisioningSettings.objects.update_or_create(pk=1, defaults={"leaver_rule": LeaverRule.ALUMNI})
    scim_id = _provision_alice(provider)
    browser = Client()
    browser.force_login(alice)
    assert provider.patch(f"/Users/{scim_id}", LEAVE).status == 200
    alice.refresh_from_db()
    assert alice.role == "alumni" and alice.is_active and alice.opted_in_at is not None
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()
    assert provider.get(f"/Users/{scim_id}").body["active"] is False
    # Back at the company: an employee again.
    back = provider.patch(f"/Users/{scim_id}", [{"op": "replace", "path": "active", "value": True}])
    assert back.status == 200
    alice.refresh_from_db()
    assert alice.role == "ambassador" and alice.is_active


def test_a_returning_employee_is_reactivated(provider, alice):
    scim_id = _provision_alice(provider)
    provider.patch(f"/Users/{scim_id}", LEAVE)
    answer = provider.put(f"/Users/{scim_id}", entra_user("alice@example.com", active=True))
    assert answer.status == 200 and answer.body["active"] is True
    alice.refresh_from_db()
    assert alice.is_active and alice.deactivated_at is None


def test_the_provider_repeating_active_does_not_undo_an_admins_deactivation(
    provider, alice, client_for, carol
):
    scim_id = _provision_alice(provider)
    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    alice.refresh_from_db()
    assert not alice.is_active
    provider.put(f"/Users/{scim_id}", entra_user("alice@example.com", active=True))
    alice.refresh_from_db()
    assert not alice.is_active


def test_a_person_provisioned_inactive_is_created_deactivated(provider):
    answer = provider.post("/Users", entra_user(active=False))
    assert answer.status == 201 and answer.body["active"] is False
    person = Person.objects.get(email="jane.doe@example.com")
    assert not person.is_active
    assert timezone.now() - person.deactivated_at < timedelta(minutes=1)


def test_okta_deactivates_with_a_patch_without_path(provider, alice):
    scim_id = _provision_alice(provider)
    answer = provider.patch(f"/Users/{scim_id}", [{"op": "replace", "value": {"active": False}}])
    assert answer.status == 200, answer.body
    alice.refresh_from_db()
    assert not alice.is_active


def test_a_deactivated_person_cannot_log_in_again(provider, alice, client):
    scim_id = _provision_alice(provider)
    provider.patch(f"/Users/{scim_id}", LEAVE)
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code != 302 or "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302
