"""Users as Entra ID and Okta provision them: created, found, replaced, patched, erased."""

import pytest
from django.core import mail

from portevoix.accounts.models import Invitation, Person
from portevoix.core.tests.roles import snapshot
from portevoix.scim.models import ProvisioningSettings, ScimUser
from portevoix.scim.tests.conftest import USER_SCHEMA, assert_scim_error, entra_user, okta_user


def test_entra_creates_a_person_who_is_not_opted_in_and_gets_no_e_mail(provider):
    answer = provider.post("/Users", entra_user())
    assert answer.status == 201, answer.body
    assert answer.headers["Content-Type"].startswith("application/scim+json")
    body = answer.body
    assert body["userName"] == "jane.doe@example.com"
    assert body["externalId"] == "jdoe"
    assert body["active"] is True
    assert body["name"] == {"givenName": "Jane", "familyName": "Doe"}
    assert body["emails"] == [{"value": "jane.doe@example.com", "type": "work", "primary": True}]
    assert answer.headers["Location"] == body["meta"]["location"]
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    # What Portevoix does not use is not kept (data minimisation).
    assert "title" not in body and "preferredLanguage" not in body
    person = Person.objects.get(email="jane.doe@example.com")
    assert person.full_name == "Jane Doe"
    assert person.role == "ambassador" and person.is_active
    assert person.opted_in_at is None and not person.has_usable_password()
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_newcomers_are_invited_when_the_admin_says_so(provider, django_capture_on_commit_callbacks):
    ProvisioningSettings.objects.update_or_create(pk=1, defaults={"invite_newcomers": True})
    with django_capture_on_commit_callbacks(execute=True):
        assert provider.post("/Users", okta_user()).status == 201
    person = Person.objects.get(email="john.roe@example.com")
    assert person.opted_in_at is None
    assert [m.to for m in mail.outbox] == [["john.roe@example.com"]]
    assert Invitation.objects.get().person == person


def test_okta_creates_a_person_and_its_password_is_ignored(provider):
    answer = provider.post("/Users", okta_user())
    assert answer.status == 201, answer.body
    assert "password" not in answer.body
    person = Person.objects.get(email="john.roe@example.com")
    assert person.full_name == "John Roe" and not person.has_usable_password()


def test_a_person_already_on_the_platform_is_linked_not_duplicated(provider, alice):
    answer = provider.post("/Users", entra_user("Alice@Example.com"))
    assert answer.status == 201, answer.body
    assert Person.objects.filter(email="alice@example.com").count() == 1
    assert ScimUser.objects.get().person == alice
    alice.refresh_from_db()
    assert alice.opted_in_at is not None  # her own choice stays hers


def test_a_user_name_or_e_mail_provisioned_twice_is_a_conflict(provider):
    assert provider.post("/Users", entra_user()).status == 201
    again = provider.post("/Users", entra_user("JANE.DOE@example.com"))
    assert_scim_error(again, 409, "uniqueness")
    other_name = entra_user("jd@example.com")
    other_name["emails"][0]["value"] = "jane.doe@example.com"
    assert_scim_error(provider.post("/Users", other_name), 409, "uniqueness")
    assert ScimUser.objects.count() == 1 and Person.objects.count() == 2  # with carol


def test_a_user_without_any_e_mail_is_refused(provider):
    answer = provider.post("/Users", {"schemas": [USER_SCHEMA], "userName": "jdoe"})
    assert_scim_error(answer, 400, "invalidValue")
    assert not ScimUser.objects.exists()


def test_a_user_name_that_is_an_address_is_enough(provider):
    answer = provider.post("/Users", {"schemas": [USER_SCHEMA], "userName": "x@example.com"})
    assert answer.status == 201, answer.body
    assert Person.objects.get(email="x@example.com").full_name == "x@example.com"


def test_providers_find_people_by_user_name_and_external_id(provider):
    created = provider.post("/Users", entra_user()).body
    provider.post("/Users", okta_user())
    found = provider.get('/Users?filter=userName eq "JANE.DOE@example.com"').body
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == created["id"]
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    by_external = provider.get('/Users?filter=externalId eq "jdoe"').body
    assert [r["id"] for r in by_external["Resources"]] == [created["id"]]
    nobody = provider.get('/Users?filter=userName eq "nobody@example.com"').body
    assert nobody["totalResults"] == 0 and nobody.get("Resources", []) == []
    either = provider.get(
        '/Users?filter=userName eq "jane.doe@example.com" or externalId eq "00ujl29u0le5T6Aj10h7"'
    ).body
    assert either["totalResults"] == 2


def test_lists_come_in_pages(provider):
    for n in range(5):
        provider.post("/Users", okta_user(f"p{n}@example.com"))
    first = provider.get("/Users?startIndex=1&count=2").body
    assert first["totalResults"] == 5 and first["itemsPerPage"] == 2 and first["startIndex"] == 1
    last = provider.get("/Users?startIndex=5&count=2").body
    assert [r["userName"] for r in last["Resources"]] == ["p4@example.com"]
    counted = provider.get("/Users?count=0").body
    assert counted["totalResults"] == 5 and counted.get("Resources", []) == []
    every = [r["userName"] for r in provider.get("/Users").body["Resources"]]
    assert every == [f"p{n}@example.com" for n in range(5)]


def test_a_replacement_changes_the_person(provider):
    created = provider.post("/Users", okta_user()).body
    replaced = okta_user("john.roe2@example.com", displayName="Johnny Roe")
    answer = provider.put(f"/Users/{created['id']}", replaced)
    assert answer.status == 200, answer.body
    person = ScimUser.objects.get().person
    assert person.email == "john.roe2@example.com" and person.full_name == "Johnny Roe"


def test_entra_patches_with_its_own_capitalised_operations(provider):
    created = provider.post("/Users", entra_user()).body
    answer = provider.patch(
        f"/Users/{created['id']}",
        [
            {"op": "Replace", "path": "displayName", "value": "Jane Smith"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "js@example.com"},
            {"op": "Replace", "path": "name.familyName", "value": "Smith"},
            {"op": "Add", "path": "externalId", "value": "jsmith"},
        ],
    )
    assert answer.status == 200, answer.body
    assert answer.body["displayName"] == "Jane Smith"
    assert answer.body["emails"][0]["value"] == "js@example.com"
    person = Person.objects.get(scim__scim_id=created["id"])
    assert (person.email, person.full_name) == ("js@example.com", "Jane Smith")
    assert ScimUser.objects.get().external_id == "jsmith"


def test_okta_patches_without_a_path(provider):
    created = provider.post("/Users", okta_user()).body
    answer = provider.patch(
        f"/Users/{created['id']}", [{"op": "replace", "value": {"displayName": "J. Roe"}}]
    )
    assert answer.status == 200, answer.body
    assert Person.objects.get(email="john.roe@example.com").full_name == "J. Roe"


def test_erasing_through_scim_follows_the_erasure_rules(provider, carol):
    created = provider.post("/Users", entra_user()).body
    person = Person.objects.get(email="jane.doe@example.com")
    answer = provider.delete(f"/Users/{created['id']}")
    assert answer.status == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not ScimUser.objects.exists()
    assert_scim_error(provider.get(f"/Users/{created['id']}"), 404)
    assert_scim_error(provider.delete(f"/Users/{created['id']}"), 404)


def test_the_last_admin_cannot_be_erased_or_leave(provider, carol):
    created = provider.post("/Users", entra_user("carol@example.com")).body
    assert_scim_error(provider.delete(f"/Users/{created['id']}"), 409)
    leave = provider.patch(
        f"/Users/{created['id']}", [{"op": "replace", "path": "active", "value": False}]
    )
    assert_scim_error(leave, 409)
    carol.refresh_from_db()
    assert carol.is_active and carol.role == "admin"


@pytest.mark.parametrize(
    "path", ["/Users/not-a-uuid", "/Users/3f1c1c2e-8d6e-4f39-9f53-2d6f3e0c9b11"]
)
def test_an_unknown_user_is_a_scim_404(provider, path):
    assert_scim_error(provider.get(path), 404)
    assert_scim_error(
        provider.patch(path, [{"op": "replace", "path": "active", "value": False}]), 404
    )


def test_entra_sets_a_work_address_the_person_did_not_have(provider):
    created = provider.post(
        "/Users", {"schemas": [USER_SCHEMA], "userName": "kim@example.com"}
    ).body
    answer = provider.patch(
        f"/Users/{created['id']}",
        [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "kim.lee@example.com"}],
    )
    assert answer.status == 200, answer.body
    assert answer.body["emails"] == [
        {"value": "kim.lee@example.com", "type": "work", "primary": True}
    ]
    assert Person.objects.filter(email="kim.lee@example.com").exists()


def test_a_search_in_a_post_body_answers_like_a_listing(provider):
    created = provider.post("/Users", entra_user()).body
    provider.post("/Users", okta_user())
    answer = provider.post(
        "/Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'externalId eq "jdoe"',
            "attributes": ["userName"],
        },
    )
    assert answer.status == 200, answer.body
    assert answer.body["totalResults"] == 1
    found = answer.body["Resources"][0]
    assert found["id"] == created["id"] and found["userName"] == "jane.doe@example.com"
    assert "name" not in found and "emails" not in found


@pytest.mark.parametrize("who", ["carol", "bob"])
def test_a_token_cannot_move_a_pilot_team_address_nor_erase_them(provider, request, carol, who):
    """Else a provisioning token could send an admin's password reset to its own mailbox."""
    person = request.getfixturevalue(who)
    created = provider.post("/Users", entra_user(person.email)).body
    replaced = {**entra_user("taken@attacker.example"), "userName": person.email}
    assert_scim_error(provider.put(f"/Users/{created['id']}", replaced), 409)
    assert_scim_error(
        provider.patch(
            f"/Users/{created['id']}",
            [
                {
                    "op": "Replace",
                    "path": 'emails[type eq "work"].value',
                    "value": "x@attacker.example",
                }
            ],
        ),
        409,
    )
    assert_scim_error(provider.delete(f"/Users/{created['id']}"), 409)
    person.refresh_from_db()
    assert person.email == f"{who}@example.com" and person.is_active


def test_a_token_cannot_move_a_data_protection_officers_address_nor_erase_them(provider, alice):
    """An ambassador who is the data-protection officer runs everyone's data exports and
    erasures: a token that took her account (by sending her password reset elsewhere) would
    hold that power, as with the pilot team's."""
    alice.data_protection_officer = True
    alice.save(update_fields=["data_protection_officer"])
    created = provider.post("/Users", entra_user(alice.email)).body
    before = snapshot(Person, ScimUser)
    replaced = {**entra_user("taken@attacker.example"), "userName": alice.email}
    assert_scim_error(provider.put(f"/Users/{created['id']}", replaced), 409, "mutability")
    moved = provider.patch(
        f"/Users/{created['id']}",
        [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "x@attacker.example"}],
    )
    assert_scim_error(moved, 409, "mutability")
    assert_scim_error(provider.delete(f"/Users/{created['id']}"), 409, "mutability")
    assert snapshot(Person, ScimUser) == before
    alice.refresh_from_db()
    assert alice.email == "alice@example.com" and alice.data_protection_officer


def test_an_ambassador_who_is_not_the_officer_is_provisioned_as_any_other(provider, alice):
    created = provider.post("/Users", entra_user(alice.email)).body
    moved = provider.patch(
        f"/Users/{created['id']}",
        [{"op": "Replace", "path": 'emails[type eq "work"].value', "value": "am@example.com"}],
    )
    assert moved.status == 200, moved.body
    assert provider.delete(f"/Users/{created['id']}").status == 204
    assert not Person.objects.filter(pk=alice.pk).exists()
