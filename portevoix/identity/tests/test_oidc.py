"""OpenID Connect sign-in against a real provider (oidc-provider) on loopback: the code flow
with PKCE, just-in-time accounts, group mapping, and every token the relying party refuses."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from portevoix.accounts.models import CharterAcceptance, Person, Role
from portevoix.identity.models import SsoLink
from portevoix.identity.tests.oidc_idp import PASSWORD


def _to_provider(client, email: str) -> str:
    """The log-in page's e-mail step, then our start: the provider's authorization URL."""
    response = client.post(reverse("accounts:login"), {"username": email, "password": ""})
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/sso/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    return response["Location"]


def _back_from_provider(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(parts.path + "?" + parts.query)


def sso_sign_in(client, idp, email: str):
    authorization_url = _to_provider(client, email)
    return _back_from_provider(client, idp.sign_in(authorization_url, email=email))


def _logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def test_a_new_employee_is_created_with_mapped_groups_and_not_opted_in(client, acme, oidc_idp):
    response = sso_sign_in(client, oidc_idp, "nina@acme.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:welcome")
    nina = Person.objects.get(email="nina@acme.test")
    assert _logged_in_as(client) == nina.pk
    assert nina.full_name == "Nina Nouvelle"
    assert nina.role == Role.AMBASSADOR
    assert nina.activated_at is not None
    assert not nina.has_usable_password()
    assert [g.name for g in nina.groups.all()] == ["Marketing"]
    # SSO never opts anyone in nor accepts the charter for them.
    assert nina.opted_in_at is None
    assert not CharterAcceptance.objects.filter(person=nina).exists()
    link = SsoLink.objects.get(person=nina)
    assert (link.provider, link.subject) == (acme, "sub-nina")
    assert link.last_login_at is not None


def test_the_authorization_request_carries_pkce_state_nonce_and_the_login_hint(
    client, acme, oidc_idp
):
    query = parse_qs(urlsplit(_to_provider(client, "Nina@Acme.test")).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] and query["nonce"][0]
    assert query["login_hint"] == ["nina@acme.test"]
    assert query["scope"] == ["openid email profile"]


def test_a_claim_with_several_values_maps_to_several_groups(client, acme, oidc_idp):
    sso_sign_in(client, oidc_idp, "omar@acme.test")
    omar = Person.objects.get(email="omar@acme.test")
    assert sorted(g.name for g in omar.groups.all()) == ["Lyon", "Ventes"]


def test_a_second_sign_in_uses_the_link_and_the_rules_move_groups(client, acme, oidc_idp):
    sso_sign_in(client, oidc_idp, "nina@acme.test")
    nina = Person.objects.get(email="nina@acme.test")
    marketing_rule = acme.group_rules.get(value="Marketing")
    marketing_rule.value = "Communication"  # Marketing's people no longer match
    marketing_rule.save()
    client.logout()

    response = sso_sign_in(client, oidc_idp, "nina@acme.test")

    assert response.status_code == 302
    assert Person.objects.filter(email="nina@acme.test").count() == 1
    assert _logged_in_as(client) == nina.pk
    assert list(nina.groups.all()) == []


def test_an_opted_in_person_goes_to_the_feed(client, example, oidc_idp, alice):
    response = sso_sign_in(client, oidc_idp, "alice@example.com")
    assert response["Location"] == reverse("core:home")


def test_an_existing_person_is_linked_by_verified_email(client, example, oidc_idp, alice):
    sso_sign_in(client, oidc_idp, "alice@example.com")

    assert _logged_in_as(client) == alice.pk
    assert SsoLink.objects.get(person=alice).subject == "sub-alice"
    alice.refresh_from_db()
    assert alice.full_name == "Alice Martin"  # the account is kept as it was


def test_an_unverified_email_never_opens_an_existing_account(client, example, oidc_idp, erin):
    response = sso_sign_in(client, oidc_idp, "erin@example.com")

    assert response.status_code == 400
    assert "vérifiée" in response.content.decode()
    assert _logged_in_as(client) is None
    assert not SsoLink.objects.exists()


def test_a_directory_that_owns_its_domains_vouches_for_its_emails(client, example, oidc_idp, erin):
    example.directory_owns_domains = True
    example.save()
    sso_sign_in(client, oidc_idp, "erin@example.com")
    assert _logged_in_as(client) == erin.pk
    assert SsoLink.objects.get(person=erin).subject == "sub-erin"


def test_a_deactivated_person_cannot_sign_in(client, example, oidc_idp, dave):
    dave.is_active = False
    dave.save()
    response = sso_sign_in(client, oidc_idp, "dave@example.com")
    assert response.status_code == 400
    assert _logged_in_as(client) is None
    assert not SsoLink.objects.exists()


def test_a_callback_with_another_state_is_refused(client, acme, oidc_idp):
    callback = oidc_idp.sign_in(_to_provider(client, "nina@acme.test"), email="nina@acme.test")
    forged = callback.replace("state=", "state=x")

    response = _back_from_provider(client, forged)

    assert response.status_code == 400
    assert "pas été commencée dans ce navigateur" in response.content.decode()
    assert not Person.objects.filter(email="nina@acme.test").exists()
    # The genuine answer still works once: the forged one consumed nothing.
    assert _back_from_provider(client, callback).status_code == 302
    assert _back_from_provider(client, callback).status_code == 400  # and never twice


def test_a_callback_in_a_browser_that_did_not_start_it_is_refused(client, acme, oidc_idp):
    from django.test import Client

    callback = oidc_idp.sign_in(_to_provider(client, "nina@acme.test"), email="nina@acme.test")
    other = Client()
    assert _back_from_provider(other, callback).status_code == 400
    assert not Person.objects.filter(email="nina@acme.test").exists()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"nonce": "a-nonce-from-another-sign-in"}, "nonce"),
        ({"exp_offset": -3600}, "exp"),
        ({"aud": "another-client"}, "aud"),
        ({"rogue_key": True}, "pas signé valablement"),
    ],
)
def test_a_token_that_fails_a_check_is_refused_and_creates_nobody(
    client, acme, oidc_idp, change, why
):
    authorization_url = _to_provider(client, "nina@acme.test")
    callback = oidc_idp.sign_in(authorization_url, email="nina@acme.test")
    oidc_idp.tamper_next_token(**change)

    response = _back_from_provider(client, callback)

    assert response.status_code == 400
    assert why in response.content.decode()
    assert _logged_in_as(client) is None
    assert not Person.objects.filter(email="nina@acme.test").exists()
    assert not SsoLink.objects.exists()


def test_a_token_re_signed_unchanged_by_the_harness_is_accepted(client, acme, oidc_idp):
    """The refusals above come from the change, not from the harness's re-signing."""
    callback = oidc_idp.sign_in(_to_provider(client, "nina@acme.test"), email="nina@acme.test")
    oidc_idp.tamper_next_token()
    assert _back_from_provider(client, callback).status_code == 302
    assert Person.objects.filter(email="nina@acme.test").exists()


def test_an_email_outside_the_providers_domains_is_refused(client, acme, oidc_idp):
    # Typed as an acme.test address on our page, but the provider signs in someone else.
    authorization_url = _to_provider(client, "nina@acme.test")
    callback = oidc_idp.sign_in(authorization_url, email="someone@elsewhere.test")
    response = _back_from_provider(client, callback)
    assert response.status_code == 400
    assert not Person.objects.filter(email="someone@elsewhere.test").exists()


def test_a_provider_error_is_said_plainly(client, acme, oidc_idp):
    authorization_url = _to_provider(client, "nina@acme.test")
    state = parse_qs(urlsplit(authorization_url).query)["state"][0]
    response = client.get(
        reverse("identity:oidc_callback", args=["acme"]), {"state": state, "error": "access_denied"}
    )
    assert response.status_code == 400
    assert not Person.objects.filter(email="nina@acme.test").exists()


def test_a_password_is_refused_where_sso_is_mandatory(client, example, alice):
    example.sso_required = True
    example.save()
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _logged_in_as(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "les mots de passe ne sont pas acceptés" in page


def test_no_password_reset_where_sso_is_mandatory(client, example, alice, carol, mailoutbox):
    example.sso_required = True
    example.break_glass_admin = carol
    example.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []
    page = client.get(response["Location"]).content.decode()
    assert "les mots de passe ne sont pas acceptés" in page
    # The break-glass admin can still reset theirs.
    client.post(reverse("accounts:password_reset"), {"email": "carol@example.com"})
    assert len(mailoutbox) == 1


def test_a_reset_link_sent_before_sso_became_mandatory_sets_no_password(client, example, alice):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    link = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(alice)]
    )
    form_url = client.get(link)["Location"]  # Django swaps the token for a session key first
    example.sso_required = True
    example.save()
    password_before = Person.objects.get(pk=alice.pk).password

    response = client.post(
        form_url, {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert Person.objects.get(pk=alice.pk).password == password_before
    assert _logged_in_as(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "les mots de passe ne sont pas acceptés" in page


def test_an_invitation_to_an_address_signed_in_by_its_company_sets_no_password(
    client, example, carol
):
    from portevoix.accounts.invitations import invitation_create

    example.sso_required = True
    example.save()
    invitation, token = invitation_create(email="newcomer@example.com", full_name="Newcomer")
    url = reverse("accounts:invitation_accept", args=[token])

    response = client.post(
        url, {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    newcomer = Person.objects.get(email="newcomer@example.com")
    assert not newcomer.has_usable_password()
    assert _logged_in_as(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "les mots de passe ne sont pas acceptés" in page


def test_the_break_glass_admin_keeps_their_password(client, example, carol):
    from conftest import PASSWORD as LOCAL_PASSWORD

    example.sso_required = True
    example.break_glass_admin = carol
    example.save()
    response = client.post(
        reverse("accounts:login"), {"username": "carol@example.com", "password": LOCAL_PASSWORD}
    )
    assert response.status_code == 302
    assert _logged_in_as(client) == carol.pk


def test_a_password_still_works_where_sso_is_optional(client, example, alice):
    from conftest import PASSWORD as LOCAL_PASSWORD

    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": LOCAL_PASSWORD}
    )
    assert response.status_code == 302
    assert _logged_in_as(client) == alice.pk


def test_other_domains_log_in_with_a_password_as_before(client, acme, alice):
    from conftest import PASSWORD as LOCAL_PASSWORD

    page = client.get(reverse("accounts:login")).content.decode()
    assert "laissez le mot de passe vide" in page
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.com", "password": LOCAL_PASSWORD}
    )
    assert _logged_in_as(client) == alice.pk
    assert response.status_code == 302


def test_signing_out_ends_the_local_session(client, acme, oidc_idp):
    sso_sign_in(client, oidc_idp, "nina@acme.test")
    client.post(reverse("accounts:logout"))
    assert _logged_in_as(client) is None


def test_the_login_page_says_nothing_of_sso_without_a_provider(client, db):
    assert (
        "laissez le mot de passe vide" not in client.get(reverse("accounts:login")).content.decode()
    )


def test_a_disabled_provider_sends_nobody_away(client, acme, alice):
    acme.enabled = False
    acme.save()
    response = client.post(
        reverse("accounts:login"), {"username": "nina@acme.test", "password": ""}
    )
    assert response.status_code == 200  # the password step, as for anybody else
    assert client.get(reverse("identity:start", args=["acme"])).status_code == 404
