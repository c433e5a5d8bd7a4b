"""SAML 2.0 sign-in against pysaml2 acting as IdP: a signed assertion is accepted; unsigned,
wrongly signed, expired, wrong-audience and replayed ones are refused and change nothing."""

import shutil

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from portevoix.accounts.models import Group, Person
from portevoix.identity.errors import SsoError
from portevoix.identity.models import GroupRule, IdentityProvider, SsoLink
from portevoix.identity.saml import saml_identity, saml_metadata
from portevoix.identity.tests.saml_idp import SamlTestIdp

NINA = {"mail": ["nina@saml.test"], "displayName": ["Nina Saml"], "department": ["Marketing"]}


@pytest.fixture
def xmlsec1():
    if shutil.which("xmlsec1") is None:
        from conftest import _require_or_skip

        _require_or_skip("xmlsec1 not found: SAML tests need it (apt-get install xmlsec1)")


@pytest.fixture
def okta(db, xmlsec1, settings, charter):
    settings.SITE_URL = "http://testserver"
    provider = IdentityProvider.objects.create(
        name="Okta",
        slug="okta",
        kind="saml",
        domains="saml.test",
        group_claim="department",
        directory_owns_domains=True,
        metadata_xml="<placeholder/>",
    )
    GroupRule.objects.create(
        provider=provider, value="Marketing", group=Group.objects.create(name="Marketing")
    )
    return provider


def _idp_for(provider, **options) -> SamlTestIdp:
    idp = SamlTestIdp(saml_metadata(provider=provider), **options)
    provider.metadata_xml = idp.metadata()
    provider.save()
    return idp


@pytest.fixture
def idp(okta):
    idp = _idp_for(okta)
    yield idp
    idp.stop()


def _request_url(client) -> str:
    response = client.post(
        reverse("accounts:login"), {"username": "nina@saml.test", "password": ""}
    )
    response = client.get(response["Location"])
    assert response.status_code == 302, response.content
    return response["Location"]


def _post_answer(client, saml_response: str):
    acs = reverse("identity:saml_acs", args=["okta"])
    page = client.post(acs, {"SAMLResponse": saml_response})
    assert page.status_code == 200  # the page that posts it again with our session cookie
    assert b'name="continued"' in page.content
    return client.post(acs, {"SAMLResponse": saml_response, "continued": "1"})


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_a_signed_assertion_signs_in_and_creates_the_person(client, okta, idp):
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    response = _post_answer(client, answer)

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("accounts:welcome")
    nina = Person.objects.get(email="nina@saml.test")
    assert nina.full_name == "Nina Saml"
    assert [g.name for g in nina.groups.all()] == ["Marketing"]
    assert nina.opted_in_at is None
    assert SsoLink.objects.get(person=nina).subject == "saml-nina"
    assert _logged_in(client)


def test_the_idp_metadata_can_come_from_its_url(client, okta, local_http):
    from portevoix.core.testing import Answer

    idp = SamlTestIdp(saml_metadata(provider=okta))
    local_http.route("/federationmetadata.xml", Answer(body=idp.metadata().encode()))
    okta.metadata_xml = ""
    okta.metadata_url = local_http.url("/federationmetadata.xml")
    okta.save()
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    idp.stop()
    assert _post_answer(client, answer).status_code == 302
    assert Person.objects.filter(email="nina@saml.test").exists()


def test_the_sp_metadata_is_published_for_the_idps_admin(client, okta):
    response = client.get(reverse("identity:saml_metadata", args=["okta"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "http://testserver/sso/okta/saml/acs/" in body
    assert "X509Certificate" in body
    assert "PRIVATE KEY" not in body


def _refused(client, response, fragment: str = "") -> None:
    assert response.status_code == 400, response.status_code
    if fragment:
        assert fragment in response.content.decode()
    assert not _logged_in(client)
    assert not Person.objects.filter(email="nina@saml.test").exists()
    assert not SsoLink.objects.exists()


def test_an_unsigned_assertion_is_refused(client, okta, idp):
    answer = idp.answer(
        _request_url(client), subject="saml-nina", attributes=NINA, sign_assertion=False
    )
    _refused(client, _post_answer(client, answer), "(signature)")


def test_a_signed_response_around_an_unsigned_assertion_is_refused(client, okta, idp):
    answer = idp.answer(
        _request_url(client),
        subject="saml-nina",
        attributes=NINA,
        sign_assertion=False,
        sign_response=True,
    )
    _refused(client, _post_answer(client, answer), "(signature)")


def test_the_idp_refuses_a_request_whose_signature_was_altered(client, okta, idp):
    """The IdP checks our requests' signatures: the harness is not blind to them."""
    url = _request_url(client)
    altered = url.replace("Signature=", "Signature=AAAA")
    with pytest.raises(Exception, match="not signed correctly"):
        idp.answer(altered, subject="saml-nina", attributes=NINA)


def test_signing_out_ends_the_session_here_then_at_the_idp(client, okta, idp):
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    _post_answer(client, answer)
    assert _logged_in(client)

    response = client.post(reverse("accounts:logout"))

    assert not _logged_in(client)  # ended here first, whatever the IdP does next
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.saml.test/slo?SAMLRequest=")
    name_id, back = idp.logout_answer(response["Location"])
    assert name_id == "saml-nina"
    assert back.startswith("http://testserver/sso/okta/saml/sls/?SAMLResponse=")
    page = client.get(back.removeprefix("http://testserver"), follow=True)
    assert "Vous êtes déconnecté" in page.content.decode()


def test_an_assertion_signed_by_another_key_is_refused(client, okta, idp):
    impostor = SamlTestIdp(saml_metadata(provider=okta))  # same entity ID, its own key
    answer = impostor.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    impostor.stop()
    _refused(client, _post_answer(client, answer), "(signature)")


def test_an_expired_assertion_is_refused(client, okta, settings):
    settings.SSO_CLOCK_SKEW = 30
    idp = _idp_for(okta, lifetime={"minutes": -5})
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    idp.stop()
    _refused(client, _post_answer(client, answer), "(conditions)")


def test_an_assertion_for_another_audience_is_refused(client, okta, idp):
    answer = idp.answer(
        _request_url(client),
        subject="saml-nina",
        attributes=NINA,
        audience="https://another-sp.test/metadata",
    )
    _refused(client, _post_answer(client, answer), "(audience)")


def test_a_replayed_assertion_is_refused(client, okta, idp):
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    assert _post_answer(client, answer).status_code == 302
    client.logout()
    # The same answer again, in this browser and in another one.
    assert _post_answer(client, answer).status_code == 400
    assert _post_answer(Client(), answer).status_code == 400
    assert not _logged_in(client)
    assert SsoLink.objects.count() == 1


def test_an_assertion_id_is_accepted_once_even_for_the_same_request(client, okta, idp):
    url = _request_url(client)
    answer = idp.answer(url, subject="saml-nina", attributes=NINA)
    request_id = idp.request_of(url).id
    saml_identity(provider=okta, saml_response=answer, request_id=request_id)
    with pytest.raises(SsoError):
        saml_identity(provider=okta, saml_response=answer, request_id=request_id)


def test_an_answer_this_browser_did_not_ask_for_is_refused(client, okta, idp):
    answer = idp.answer(_request_url(client), subject="saml-nina", attributes=NINA)
    _refused(Client(), _post_answer(Client(), answer), "pas été commencée dans ce navigateur")
    assert not Person.objects.filter(email="nina@saml.test").exists()
