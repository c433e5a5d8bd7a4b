"""The single sign-on pages are the admin's alone; a refused action changes nothing."""

import pytest

from portevoix.accounts.models import Group, Person
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
    refused_cases,
)
from portevoix.identity.models import GroupRule, IdentityProvider, SsoLink
from portevoix.identity.providers import provider_client_secret_set

STATE = (Person, IdentityProvider, GroupRule, SsoLink, AuditEntry)
ISSUER = "http://127.0.0.1:9"  # never contacted by these pages; a loopback the guard lets in


@pytest.fixture
def objects(db, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    provider = IdentityProvider(
        name="Acme", slug="acme", kind="oidc", domains="acme.test", issuer=ISSUER, client_id="c"
    )
    provider_client_secret_set(provider=provider, secret="s")
    provider.save()
    group = Group.objects.create(name="Marketing")
    rule = GroupRule.objects.create(provider=provider, value="Marketing", group=group)
    return {"provider": provider, "group": group, "rule": rule}


PAGES = [
    ("identity:providers", None, ADMIN),
    ("identity:provider_new", ("oidc",), ADMIN),
    ("identity:provider_new", ("saml",), ADMIN),
    ("identity:provider_edit", "provider", ADMIN),
]


def new_provider(request) -> dict:
    return {
        "name": "Globex",
        "slug": "globex",
        "domains": "globex.test",
        "enabled": "on",
        "default_role": "ambassador",
        "issuer": ISSUER,
        "client_id": "globex-client",
        "client_secret": "globex-secret",
    }


def edit_provider(request) -> dict:
    return {**new_provider(request), "name": "Acme Entra", "slug": "acme", "domains": "acme.test"}


def new_rule(request) -> dict:
    return {"value": "Sales", "group": request.getfixturevalue("objects")["group"].pk}


def nothing(request) -> dict:
    return {}


ACTIONS = [
    ("identity:provider_new", ("oidc",), ADMIN, new_provider),
    ("identity:provider_edit", "provider", ADMIN, edit_provider),
    ("identity:rule_add", "provider", ADMIN, new_rule),
    ("identity:rule_delete", ("provider", "rule"), ADMIN, nothing),
    ("identity:provider_delete", "provider", ADMIN, nothing),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,target,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, target, allowed):
    response = client_as(request, who).get(object_url(objects, name, target))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who,name,target,data", refused_cases(ACTIONS))
def test_a_refused_action_changes_nothing(request, objects, who, name, target, data):
    url = object_url(objects, name, target)
    assert_post_refused(client_as(request, who), who, url, data(request), STATE)


@pytest.mark.parametrize("who,name,target,data", allowed_cases(ACTIONS))
def test_an_allowed_action_does_its_work(request, objects, who, name, target, data):
    url = object_url(objects, name, target)
    assert_post_done(client_as(request, who), url, data(request), STATE)
    assert AuditEntry.objects.filter(action__startswith="identity_").exists()


@pytest.mark.parametrize("who", WHO)
def test_the_sign_in_pages_are_open_to_anyone_but_check_everything(request, objects, who):
    """Starting a sign-in needs no account; an answer this browser did not ask for changes
    nothing, for anyone."""
    client = client_as(request, who)
    state = {m._meta.label: m._default_manager.count() for m in STATE}
    response = client.get("/sso/acme/oidc/callback/?state=forged&code=x")
    assert response.status_code == 400
    assert {m._meta.label: m._default_manager.count() for m in STATE} == state


@pytest.mark.parametrize("who", WHO)
def test_a_saml_answer_nobody_asked_for_changes_nothing_for_anyone(request, objects, who):
    objects["provider"].kind = "saml"
    objects["provider"].save()
    client = client_as(request, who)
    state = {m._meta.label: m._default_manager.count() for m in STATE}
    url = "/sso/acme/saml/acs/"
    assert client.post(url, {"SAMLResponse": "bm90IFNBTUw=", "continued": "1"}).status_code == 400
    assert client.get(url).status_code == 405
    assert {m._meta.label: m._default_manager.count() for m in STATE} == state
