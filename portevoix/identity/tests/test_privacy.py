"""SSO links are personal data: in the person's export, gone with their erasure."""

from portevoix.accounts.privacy import person_erase, person_export
from portevoix.identity.models import IdentityProvider, SsoLink


def test_a_persons_sso_links_are_exported_and_erased(db, alice, bob, carol):
    provider = IdentityProvider.objects.create(
        name="Acme", slug="acme", kind="oidc", domains="example.com", break_glass_admin=carol
    )
    SsoLink.objects.create(person=alice, provider=provider, subject="sub-alice")
    assert person_export(person=carol)["identity"]["break_glass_admin_of"] == ["Acme"]
    assert person_export(person=alice)["identity"]["break_glass_admin_of"] == []

    exported = person_export(person=alice)["identity"]
    assert exported["sso_links"][0]["provider"] == "Acme"
    assert exported["sso_links"][0]["subject"] == "sub-alice"

    person_erase(person=alice)
    assert not SsoLink.objects.exists()
    bob.role = "admin"
    bob.save()
    person_erase(person=carol)  # the break-glass admin leaves: the provider stays, without one
    provider.refresh_from_db()
    assert provider.break_glass_admin is None
