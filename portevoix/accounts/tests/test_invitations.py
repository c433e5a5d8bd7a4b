from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_for_token,
)
from portevoix.accounts.models import Group, Invitation, Person

NEW_PASSWORD = "un-mot-de-passe-solide-42"


def test_admin_invites_someone_who_receives_a_working_link(client_for, carol):
    sales = Group.objects.create(name="Ventes")
    response = client_for(carol).post(
        reverse("accounts:person_invite"),
        {
            "email": "Zoe@Example.com",
            "full_name": "Zoé Petit",
            "role": "ambassador",
            "groups": [sales.pk],
        },
    )
    assert response.status_code == 302
    zoe = Person.objects.get(email="zoe@example.com")
    assert list(zoe.groups.all()) == [sales]
    assert zoe.activated_at is None and zoe.opted_in_at is None
    assert not zoe.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/invitation/" in line)
    path = link.split("8000", 1)[1] if "8000" in link else link
    assert client_for(carol).get(path).status_code == 200


def test_the_invitation_sets_a_password_once(client, db):
    invitation, token = invitation_create(email="new@example.com", full_name="New Person")
    url = reverse("accounts:invitation_accept", args=[token])
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    person = Person.objects.get(email="new@example.com")
    assert person.check_password(NEW_PASSWORD)
    assert person.activated_at is not None
    client.logout()
    again = client.post(
        url, {"new_password1": "autre-mot-de-passe-99", "new_password2": "autre-mot-de-passe-99"}
    )
    assert again.status_code == 410
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_an_expired_invitation_is_refused(client, db):
    invitation, token = invitation_create(email="late@example.com", full_name="Late")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 410
    with pytest.raises(InvitationError):
        invitation_accept(token=token, password=NEW_PASSWORD)


def test_a_new_invitation_replaces_the_old_one(db):
    _, old_token = invitation_create(email="twice@example.com", full_name="Twice")
    _, new_token = invitation_create(email="twice@example.com", full_name="Twice")
    assert invitation_for_token(old_token) is None
    assert invitation_for_token(new_token) is not None
    assert Person.objects.filter(email="twice@example.com").count() == 1


@pytest.mark.parametrize("token", ["", "x" * 500, "../../etc/passwd", "nope"])
def test_forged_tokens_are_refused(client, db, token):
    assert invitation_for_token(token) is None


def test_a_weak_password_is_refused_and_the_invitation_still_works(client, db):
    _, token = invitation_create(email="weak@example.com", full_name="Weak")
    url = reverse("accounts:invitation_accept", args=[token])
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert invitation_for_token(token) is not None


def test_inviting_someone_who_already_has_an_account_is_refused(client_for, carol, alice):
    response = client_for(carol).post(
        reverse("accounts:person_invite"),
        {"email": alice.email, "full_name": "Alice", "role": "admin"},
    )
    assert response.status_code == 200
    assert (
        "already has an account" in response.content.decode()
        or "déjà un compte" in response.content.decode()
    )
    alice.refresh_from_db()
    assert alice.role == "ambassador"
    assert mail.outbox == []


def _accept(client, token: str):
    url = reverse("accounts:invitation_accept", args=[token])
    return client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


@pytest.mark.parametrize("role", ["admin", "editor", "ambassador", "alumni"])
def test_deactivating_someone_cancels_their_pending_invitation(client_for, carol, role):
    invitation, token = invitation_create(
        email="gone@example.com", full_name="Gone", role=role, invited_by=carol
    )
    person = invitation.person
    client_for(carol).post(reverse("accounts:person_active", args=[person.pk]), {"active": "0"})
    assert invitation_for_token(token) is None
    carol_client = client_for(carol)
    carol_client.logout()
    response = _accept(carol_client, token)
    assert response.status_code == 410
    person.refresh_from_db()
    assert not person.is_active
    assert person.deactivated_at is not None
    assert person.activated_at is None
    assert not person.has_usable_password()
    assert "_auth_user_id" not in carol_client.session


@pytest.mark.parametrize("role", ["admin", "ambassador"])
def test_an_invitation_is_refused_to_a_deactivated_person_whatever_the_order(db, role):
    """Deactivated by any path that leaves the invitation itself untouched: accepting still fails."""
    invitation, token = invitation_create(email="late@example.com", full_name="Late", role=role)
    Person.objects.filter(pk=invitation.person.pk).update(
        is_active=False, deactivated_at=timezone.now()
    )
    assert invitation_for_token(token) is None
    with pytest.raises(InvitationError):
        invitation_accept(token=token, password=NEW_PASSWORD)
    person = Person.objects.get(pk=invitation.person.pk)
    assert not person.is_active and person.activated_at is None
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_a_deactivated_person_cannot_be_invited_again_before_being_reactivated(client_for, carol):
    invitation, _ = invitation_create(email="gone@example.com", full_name="Gone")
    client = client_for(carol)
    client.post(reverse("accounts:person_active", args=[invitation.person.pk]), {"active": "0"})
    mail.outbox.clear()
    response = client.post(
        reverse("accounts:person_invite"),
        {"email": "gone@example.com", "full_name": "Gone", "role": "admin"},
    )
    assert response.status_code == 200
    assert mail.outbox == []
    assert (
        Invitation.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now()).count() == 0
    )
    with pytest.raises(InvitationError):
        invitation_create(email="gone@example.com", full_name="Gone", role="admin")


def test_an_invitation_page_opened_before_the_deactivation_is_refused_after_it(client, carol):
    invitation, token = invitation_create(email="gone@example.com", full_name="Gone", role="admin")
    url = reverse("accounts:invitation_accept", args=[token])
    assert client.get(url).status_code == 200  # the form is on their screen...
    admin = Client()
    admin.force_login(carol)
    admin.post(reverse("accounts:person_active", args=[invitation.person.pk]), {"active": "0"})
    assert _accept(client, token).status_code == 410  # ...and submitted after the deactivation
    person = Person.objects.get(pk=invitation.person.pk)
    assert not person.is_active and person.role == "admin" and person.activated_at is None
    # Reactivating does not bring the cancelled link back: the admin invites them again.
    admin.post(reverse("accounts:person_active", args=[person.pk]), {"active": "1"})
    assert invitation_for_token(token) is None
