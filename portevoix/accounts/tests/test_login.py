import pytest
from django.core import mail
from django.test import Client
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


def test_a_wrong_password_is_refused(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failed_log_ins_are_limited_per_email(client, alice, settings):
    settings.LOGIN_RATE = "3/m"
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": alice.email, "password": "wrong"})
    # Even the right password is refused once the e-mail had its failures.
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_log_ins_are_limited_per_client_address(client, alice, bob, settings):
    """Guessing across many e-mails from one address: five times the per-e-mail limit."""
    settings.LOGIN_RATE = "3/m"
    for n in range(15):
        client.post(
            reverse("accounts:login"), {"username": f"guess{n}@example.com", "password": "x"}
        )
    response = client.post(reverse("accounts:login"), {"username": bob.email, "password": PASSWORD})
    assert response.status_code == 429


def test_successful_log_ins_from_one_office_are_not_limited(alice, settings):
    """Twelve colleagues behind one proxy address, with a limit of three: all get in."""
    from conftest import make_person

    settings.LOGIN_RATE = "3/m"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for n in range(12):
        person = make_person(f"colleague{n}@example.com", f"Colleague {n}", "ambassador")
        response = Client().post(
            reverse("accounts:login"),
            {"username": person.email, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR="192.0.2.10, 203.0.113.7",
        )
        assert response.status_code == 302, n


def test_the_address_limit_uses_the_proxy_header_when_configured(alice, bob, settings):
    settings.LOGIN_RATE = "2/m"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    for n in range(10):  # failures from one office, on many e-mails...
        Client().post(
            reverse("accounts:login"),
            {"username": f"nobody{n}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    blocked = Client().post(
        reverse("accounts:login"),
        {"username": bob.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    # ...do not lock out another office behind the same load balancer.
    other_office = Client().post(
        reverse("accounts:login"),
        {"username": alice.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert (blocked.status_code, other_office.status_code) == (429, 302)


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


def test_password_reset_requests_are_limited(client, alice, settings):
    settings.LOGIN_RATE = "2/m"
    url = reverse("accounts:password_reset")
    answers = [client.post(url, {"email": alice.email}).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("host", ["localhost", "testserver", "[::1]"])
def test_password_reset_links_use_site_url_whatever_the_host_header(client, alice, settings, host):
    settings.SITE_URL = "https://portevoix.example.com"
    response = client.post(
        reverse("accounts:password_reset"), {"email": alice.email}, HTTP_HOST=host
    )
    assert response.status_code == 302
    links = [w for w in mail.outbox[0].body.split() if "://" in w]
    assert links and all(link.startswith("https://portevoix.example.com/") for link in links)
    assert host.strip("[]") not in mail.outbox[0].body


def test_every_accounts_email_links_to_site_url(client, client_for, carol, settings):
    """The invitation too, sent from a request whose Host header is not SITE_URL's."""
    settings.SITE_URL = "https://portevoix.example.com"
    client_for(carol).post(
        reverse("accounts:person_invite"),
        {"email": "zoe@example.com", "full_name": "Zoé", "role": "ambassador"},
        HTTP_HOST="localhost",
    )
    client.logout()
    client.post(reverse("accounts:password_reset"), {"email": carol.email}, HTTP_HOST="localhost")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        links = [w for w in message.body.split() if "://" in w]
        assert links and all(link.startswith("https://portevoix.example.com/") for link in links)
