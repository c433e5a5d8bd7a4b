"""The SCIM link is personal data: in the person's export, gone with them."""

from portevoix.accounts.privacy import person_erase, person_export
from portevoix.scim.models import ScimToken, ScimUser
from portevoix.scim.tests.conftest import entra_user


def test_the_link_is_in_the_export_and_goes_with_the_person(provider, alice, carol):
    provider.post("/Users", entra_user("alice@example.com"))
    exported = person_export(person=alice)["scim"]["provisioned_by_identity_provider"]
    assert exported["user_name"] == "alice@example.com"
    assert exported["external_id"] == "jdoe"
    assert exported["given_name"] == "Jane"
    assert person_export(person=carol)["scim"]["scim_tokens_created"][0]["name"] == "Entra ID"
    person_erase(person=alice)
    assert not ScimUser.objects.exists()


def test_tokens_stay_when_their_creator_is_erased(provider, carol, bob):
    bob.role = "admin"
    bob.save()
    person_erase(person=carol)
    token = ScimToken.objects.get()
    assert token.created_by is None
    assert provider.get("/Users").status == 200
