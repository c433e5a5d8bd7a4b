import pytest

from portevoix.identity.tests.oidc_idp import (
    CLIENT_ID,
    CLIENT_SECRET,
    OidcTestProvider,
    node_or_skip,
)

TEST_CALLBACKS = [f"http://testserver/sso/{slug}/oidc/callback/" for slug in ("acme", "example")]


@pytest.fixture(scope="session")
def oidc_idp():
    """A real OpenID provider on 127.0.0.1 for the whole session (its accounts: oidc_idp.py)."""
    provider = OidcTestProvider(node_or_skip(), TEST_CALLBACKS)
    yield provider
    provider.stop()


def oidc_provider_record(*, slug: str, domains: str, issuer: str, **fields):
    from portevoix.identity.models import IdentityProvider, ProviderKind
    from portevoix.identity.providers import provider_client_secret_set

    provider = IdentityProvider(
        name=f"{slug.title()} directory",
        slug=slug,
        kind=ProviderKind.OIDC,
        domains=domains,
        issuer=issuer,
        client_id=CLIENT_ID,
        **fields,
    )
    provider_client_secret_set(provider=provider, secret=CLIENT_SECRET)
    provider.save()
    return provider


@pytest.fixture
def sso_settings(settings):
    settings.SITE_URL = "http://testserver"
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    return settings


@pytest.fixture
def acme(db, sso_settings, oidc_idp, charter):
    """acme.test signs in through the provider; its department claim maps to groups."""
    from portevoix.accounts.models import Group
    from portevoix.identity.models import GroupRule

    provider = oidc_provider_record(
        slug="acme", domains="acme.test", issuer=oidc_idp.issuer, group_claim="department"
    )
    for value, name in (("Marketing", "Marketing"), ("Sales", "Ventes"), ("Lyon", "Lyon")):
        GroupRule.objects.create(
            provider=provider, value=value, group=Group.objects.create(name=name)
        )
    return provider


@pytest.fixture
def example(db, sso_settings, oidc_idp):
    """example.com (alice, bob, carol, dave, erin's domain) signs in through the provider too."""
    return oidc_provider_record(slug="example", domains="example.com", issuer=oidc_idp.issuer)
