"""Signing in through the company's provider is not a way round a person's second step: an
account with two-factor log-in gives its code after the provider, as after a password."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portevoix.accounts.models import Role, TwoFactorPolicy
from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.identity.tests.test_oidc import sso_sign_in

VERIFY = reverse("accounts:two_factor_verify")


def test_an_editor_with_two_factor_gives_the_code_after_the_provider(
    client, example, oidc_idp, alice
):
    alice.role = Role.EDITOR
    alice.save(update_fields=["role"])
    TwoFactorPolicy.objects.update_or_create(pk=1, defaults={"required_for_pilots": True})
    app, _codes = app_for(alice)

    response = sso_sign_in(client, oidc_idp, "alice@example.com")

    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.session.get(SESSION_KEY) is None
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    response = client.post(VERIFY, {"code": app.now()})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_someone_without_two_factor_is_signed_in_by_the_provider_alone(
    client, example, oidc_idp, alice
):
    response = sso_sign_in(client, oidc_idp, "alice@example.com")
    assert response.status_code == 302 and response["Location"] != VERIFY
    assert int(client.session[SESSION_KEY]) == alice.pk
