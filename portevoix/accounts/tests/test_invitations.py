from datetime import timedelta

import pytest
from django.core import mail
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
