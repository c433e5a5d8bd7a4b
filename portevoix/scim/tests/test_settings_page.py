"""The admin's SCIM page: tokens shown once and kept as digests, audited."""

import hashlib

from django.urls import reverse

from portevoix.core.models import AuditEntry
from portevoix.scim.models import LeaverRule, ProvisioningSettings, ScimToken
from portevoix.scim.tokens import scim_token_for_bearer

PAGE = reverse("scim:settings")


def test_an_admin_creates_a_token_and_sees_it_once(client_for, carol):
    client = client_for(carol)
    response = client.post(PAGE, {"form": "token", "name": "Entra ID"})
    assert response.status_code == 200
    plain = response.context["new_token"]
    assert plain.startswith("pvx_scim_") and plain in response.content.decode()
    token = ScimToken.objects.get()
    assert token.digest == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in (token.name, token.prefix)
    assert scim_token_for_bearer(plain) == token
    page = client.get(PAGE).content.decode()
    assert "Entra ID" in page and token.prefix in page and plain not in page
    assert "/scim/v2" in page
    entry = AuditEntry.objects.get(action="scim_token_created")
    assert entry.actor == carol and plain not in str(entry.details) + entry.target


def test_a_token_needs_a_name(client_for, carol):
    response = client_for(carol).post(PAGE, {"form": "token", "name": ""})
    assert response.status_code == 400 and not ScimToken.objects.exists()


def test_an_admin_revokes_a_token_and_it_is_audited(client_for, carol):
    client = client_for(carol)
    plain = client.post(PAGE, {"form": "token", "name": "Okta"}).context["new_token"]
    token = ScimToken.objects.get()
    revoke = reverse("scim:token_revoke", args=[token.pk])
    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and scim_token_for_bearer(plain) is None
    assert AuditEntry.objects.filter(action="scim_token_revoked", actor=carol).exists()
    assert client.post(reverse("scim:token_revoke", args=[9999])).status_code == 404


def test_the_last_use_is_shown(client_for, carol):
    client = client_for(carol)
    plain = client.post(PAGE, {"form": "token", "name": "Okta"}).context["new_token"]
    assert ScimToken.objects.get().last_used_at is None
    scim_token_for_bearer(plain)
    assert ScimToken.objects.get().last_used_at is not None


def test_an_admin_chooses_the_leaver_rule(client_for, carol):
    response = client_for(carol).post(
        PAGE, {"form": "settings", "leaver_rule": "alumni", "invite_newcomers": "on"}
    )
    assert response.status_code == 302
    saved = ProvisioningSettings.current()
    assert saved.leaver_rule == LeaverRule.ALUMNI and saved.invite_newcomers
    bad = client_for(carol).post(PAGE, {"form": "settings", "leaver_rule": "vanish"})
    assert bad.status_code == 400
    assert ProvisioningSettings.current().leaver_rule == LeaverRule.ALUMNI
    assert AuditEntry.objects.filter(action="scim_settings_changed").count() == 1


def test_the_navigation_shows_the_page_to_admins_only(client_for, carol, bob):
    assert PAGE in client_for(carol).get(reverse("core:home")).content.decode()
    assert PAGE not in client_for(bob).get(reverse("core:home")).content.decode()
