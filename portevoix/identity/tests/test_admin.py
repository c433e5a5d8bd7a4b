"""The admin's provider form: secrets sealed, bad input refused with a message, nothing saved."""

import pytest
from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.accounts.scopes import person_scope_set
from portevoix.identity.models import GroupRule, IdentityProvider
from portevoix.identity.providers import provider_client_secret

ISSUER = "http://127.0.0.1:9"


@pytest.fixture
def admin_client(client_for, carol, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    return client_for(carol)


def form(**changes) -> dict:
    data = {
        "name": "Acme",
        "slug": "acme",
        "domains": "Acme.test, acme.fr",
        "enabled": "on",
        "default_role": "ambassador",
        "group_claim": "department",
        "issuer": ISSUER + "/",
        "client_id": "acme-client",
        "client_secret": "the-client-secret",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_admin_adds_an_oidc_provider_whose_secret_is_sealed(admin_client):
    response = admin_client.post(reverse("identity:provider_new", args=["oidc"]), form())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.domain_list() == ["acme.test", "acme.fr"]
    assert provider.issuer == ISSUER
    assert b"the-client-secret" not in bytes(provider.client_secret_sealed)
    assert provider_client_secret(provider) == "the-client-secret"
    page = admin_client.get(response["Location"]).content.decode()
    assert "the-client-secret" not in page
    assert "/sso/acme/oidc/callback/" in page  # the redirect URI the IdP's admin needs


def test_an_empty_secret_keeps_the_stored_one(admin_client):
    admin_client.post(reverse("identity:provider_new", args=["oidc"]), form())
    provider = IdentityProvider.objects.get()
    url = reverse("identity:provider_edit", args=[provider.pk])
    assert admin_client.post(url, form(name="Acme SSO", client_secret="")).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Acme SSO"
    assert provider_client_secret(provider) == "the-client-secret"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"domains": "not a domain"}, "Pas un domaine de messagerie"),
        ({"domains": ""}, "Ce champ est obligatoire"),
        ({"issuer": ""}, "(issuer) du fournisseur"),
        ({"issuer": "ftp://idp.test"}, "Seules les adresses http:// et https://"),
        ({"issuer": "https://10.1.2.3"}, "privée ou réservée"),
        ({"issuer": "http://idp.example.com"}, "doit commencer par https://"),
        ({"client_secret": ""}, "le secret client"),
        ({"client_id": ""}, "identifiant client que"),
        ({"slug": "no spaces"}, "des tirets bas"),
        ({"default_role": "admin"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(admin_client, changes, message):
    response = admin_client.post(reverse("identity:provider_new", args=["oidc"]), form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_domain_signs_in_through_one_provider_only(admin_client):
    admin_client.post(reverse("identity:provider_new", args=["oidc"]), form())
    response = admin_client.post(
        reverse("identity:provider_new", args=["oidc"]), form(slug="other", domains="acme.fr")
    )
    assert "Déjà connecté par un autre fournisseur" in response.content.decode()
    assert IdentityProvider.objects.count() == 1


def test_a_saml_provider_needs_its_metadata(admin_client):
    data = {"name": "Okta", "slug": "okta", "domains": "okta.test", "default_role": "ambassador"}
    response = admin_client.post(reverse("identity:provider_new", args=["saml"]), data)
    assert "métadonnées de l" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_an_unknown_protocol_is_not_found(admin_client):
    assert admin_client.get(reverse("identity:provider_new", args=["ldap"])).status_code == 404


def test_a_duplicate_rule_is_refused_with_a_message(admin_client):
    from portevoix.accounts.models import Group

    admin_client.post(reverse("identity:provider_new", args=["oidc"]), form())
    provider = IdentityProvider.objects.get()
    group = Group.objects.create(name="Marketing")
    url = reverse("identity:rule_add", args=[provider.pk])
    admin_client.post(url, {"value": "Marketing", "group": group.pk})
    response = admin_client.post(url, {"value": "Marketing", "group": group.pk}, follow=True)
    assert "Cette règle existe déjà" in response.content.decode()
    assert GroupRule.objects.count() == 1
    response = admin_client.post(url, {"value": "  ", "group": group.pk}, follow=True)
    assert GroupRule.objects.count() == 1


def test_saml_metadata_that_is_not_an_idps_is_refused(admin_client):
    data = {
        "name": "Okta",
        "slug": "okta",
        "domains": "okta.test",
        "default_role": "ambassador",
        "metadata_xml": "<EntityDescriptor><SPSSODescriptor/></EntityDescriptor>",
    }
    response = admin_client.post(reverse("identity:provider_new", args=["saml"]), data)
    assert "IDPSSODescriptor" in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_an_admin_of_one_entity_cannot_make_every_newcomer_an_editor(
    admin_client, client_for, carol
):
    """A provider's people get its role: naming editors that way would widen a scoped admin's
    reach as an invitation would. A role the organisation's admin set stays when they save."""
    paris = Group.objects.create(name="Paris")
    limited = make_person("sara@example.com", "Sara Paris", "admin")
    limited.language = "en"
    limited.save(update_fields=["language"])
    person_scope_set(person=limited, groups=[paris])
    new = reverse("identity:provider_new", args=["oidc"])
    refused = client_for(limited).post(new, form(default_role="editor"))
    assert refused.status_code == 200
    assert "only an administrator of the whole organisation" in refused.content.decode()
    assert not IdentityProvider.objects.exists()
    assert client_for(limited).post(new, form()).status_code == 302
    provider = IdentityProvider.objects.get()
    url = reverse("identity:provider_edit", args=[provider.pk])
    assert client_for(limited).post(url, form(default_role="editor")).status_code == 200
    provider.refresh_from_db()
    assert provider.default_role == "ambassador"
    # The organisation's admin may; the scoped admin then saves other settings, role unchanged.
    assert client_for(carol).post(url, form(default_role="editor")).status_code == 302
    renamed = client_for(limited).post(url, form(default_role="editor", name="Acme SSO"))
    assert renamed.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.default_role) == ("Acme SSO", "editor")
