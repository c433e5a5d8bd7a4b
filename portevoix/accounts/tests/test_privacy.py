import json

import pytest
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import (
    CharterAcceptance,
    Group,
    NetworkAccount,
    Person,
    TwoFactorPolicy,
)
from portevoix.accounts.privacy import person_export
from portevoix.accounts.scopes import person_scope_set
from portevoix.content.models import ApprovalSettings
from portevoix.core.models import AuditEntry


def test_a_person_downloads_their_data(client_for, alice):
    NetworkAccount.objects.create(person=alice, network="linkedin", followers=120)
    response = client_for(alice).get(reverse("accounts:my_data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == alice.email
    assert data["account"]["networks"] == {"linkedin": 120}
    assert data["account"]["charter_acceptances"][0]["version"] == 1


def test_the_export_holds_my_scope_my_officer_flag_and_the_settings_i_changed(carol, bob):
    paris = Group.objects.create(name="Paris")
    person_scope_set(person=bob, groups=[paris])
    carol.data_protection_officer = True
    carol.save(update_fields=["data_protection_officer"])
    TwoFactorPolicy.objects.create(required_for_pilots=True, updated_by=carol)
    ApprovalSettings.objects.create(approval_required=True, updated_by=carol)
    carols, bobs = person_export(person=carol), person_export(person=bob)
    assert carols["account"]["data_protection_officer"] is True
    assert carols["account"]["last_login"] is None  # never logged in, in this test
    assert bobs["account"]["scope_groups"] == ["Paris"]
    assert carols["account"]["scope_groups"] == []  # the whole organisation
    assert len(carols["account"]["two_factor_policy_updated_at"]) == 1
    assert len(carols["content"]["approval_settings_updated_at"]) == 1
    assert bobs["account"]["two_factor_policy_updated_at"] == []
    assert bobs["content"]["approval_settings_updated_at"] == []


def test_the_export_holds_only_my_data(client_for, alice, bob):
    data = json.loads(client_for(alice).get(reverse("accounts:my_data_export")).content)
    assert bob.email not in json.dumps(data)


def test_a_person_erases_their_account_with_their_password(client_for, alice):
    client = client_for(alice)
    response = client.post(reverse("accounts:my_account_erase"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Person.objects.filter(email="alice@example.com").exists()
    assert not CharterAcceptance.objects.filter(person_id=alice.pk).exists()
    assert client.get(reverse("core:home")).status_code == 302
    entry = AuditEntry.objects.get(action="account_erased")
    assert "alice" not in entry.target


@pytest.mark.parametrize("password", ["", "wrong"])
def test_a_wrong_password_erases_nothing(client_for, alice, password):
    client_for(alice).post(reverse("accounts:my_account_erase"), {"password": password})
    assert Person.objects.filter(pk=alice.pk).exists()


def test_someone_without_a_password_erases_their_account_by_typing_their_address(client_for, alice):
    # Signed in through single sign-on, or provisioned by SCIM: no password to type.
    alice.set_unusable_password()
    alice.save(update_fields=["password"])
    client = client_for(alice)
    page = client.get(reverse("accounts:my_data")).content.decode()
    assert 'name="email"' in page and 'name="password"' not in page
    for typed in ("", "bob@example.com", "alice@example"):
        client.post(reverse("accounts:my_account_erase"), {"email": typed})
        assert Person.objects.filter(pk=alice.pk).exists(), typed
    client.post(reverse("accounts:my_account_erase"), {"password": "", "email": "x"})
    assert Person.objects.filter(pk=alice.pk).exists()
    response = client.post(reverse("accounts:my_account_erase"), {"email": " Alice@Example.com "})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=alice.pk).exists()


def test_someone_with_a_password_cannot_confirm_with_their_address(client_for, alice):
    client_for(alice).post(reverse("accounts:my_account_erase"), {"email": alice.email})
    assert Person.objects.filter(pk=alice.pk).exists()


def test_erasure_only_answers_post(client_for, alice):
    assert client_for(alice).get(reverse("accounts:my_account_erase")).status_code == 405
    assert Person.objects.filter(pk=alice.pk).exists()


def test_the_last_admin_cannot_erase_themselves(client_for, carol):
    client_for(carol).post(reverse("accounts:my_account_erase"), {"password": PASSWORD})
    assert Person.objects.filter(pk=carol.pk).exists()


def test_admin_actions_are_in_the_audit_log(client_for, carol, alice, bob):
    client = client_for(carol)
    client.post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    client.post(reverse("accounts:charter_admin"), {"title": "v2", "text": "Texte"})
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"person_deactivated", "charter_published"} <= actions
    page = client.get(reverse("core:audit_log")).content.decode()
    assert "person_deactivated" in page
    assert client_for(bob).get(reverse("core:audit_log")).status_code == 403
