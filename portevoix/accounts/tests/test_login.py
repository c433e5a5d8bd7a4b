from django.core import mail
from django.urls import reverse

from conftest import PASSWORD


def test_a_person_logs_in_by_email_and_out(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "ALICE@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_passwords_are_hashed_with_argon2(alice):
    assert alice.password.startswith("argon2")


def test_a_wrong_password_is_refused(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_attempts_are_rate_limited(client, alice, settings):
    settings.LOGIN_RATE = "3/m"
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": alice.email, "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    new = "nouveau-mot-de-passe-77"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing(client, db):
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert mail.outbox == []
