"""The log-in limit: not raced, passable by the right person, no office-wide lock-out."""

import base64
import hashlib
import json
import os
import time
import uuid

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from portevoix.core.testing import at_once

LOGIN = "accounts:login"


class SlowHasher(MD5PasswordHasher):
    """The test suite's hash, as slow to check as a real one: the race has time to happen."""

    def verify(self, password, encoded):
        time.sleep(0.05)
        return super().verify(password, encoded)


def wrong(client, email, **extra):
    return client.post(reverse(LOGIN), {"username": email, "password": "wrong-guess"}, **extra)


def right(client, email, **extra):
    return client.post(reverse(LOGIN), {"username": email, "password": PASSWORD}, **extra)


@pytest.fixture(params=["memory", "file", "redis"])
def each_cache(request, settings, tmp_path):
    """The test settings' memory cache, the file cache of a one-machine install, and Redis."""
    if request.param == "file":
        backend = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    elif request.param == "redis":
        url = os.environ.get("PORTEVOIX_TEST_REDIS_URL")
        if not url:
            pytest.skip("Redis not reachable: set PORTEVOIX_TEST_REDIS_URL")
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"pvtest{uuid.uuid4().hex[:12]}",
        }
    else:
        yield request.param
        return
    settings.CACHES = {"default": backend}
    yield request.param
    caches["default"].clear()  # this run's database number of Redis, or this test's folder


def test_sixty_simultaneous_wrong_passwords_get_exactly_the_limit_checked(
    transactional_db, alice, settings, each_cache
):
    settings.PASSWORD_HASHERS = ["portevoix.accounts.tests.test_login_limits.SlowHasher"]
    settings.LOGIN_RATE = "10/h"
    answers = at_once(lambda _number: wrong(Client(), alice.email).status_code, 60)
    # 200: the password was checked and was wrong; 429: refused before any check.
    assert sorted(answers) == [200] * 10 + [429] * 50


def test_the_right_password_works_on_the_browser_the_person_already_used(alice, settings):
    settings.LOGIN_RATE = "3/h"
    alices = Client()
    assert right(alices, alice.email).status_code == 302
    alices.post(reverse("accounts:logout"))
    attacker = Client()
    for _ in range(20):
        wrong(attacker, alice.email)
    assert right(attacker, alice.email).status_code == 429  # a stranger's browser: locked
    assert right(alices, alice.email).status_code == 302  # hers: in


def test_the_browser_cookie_of_one_account_does_not_unlock_another(alice, bob, settings):
    settings.LOGIN_RATE = "3/h"
    bobs = Client()
    assert right(bobs, bob.email).status_code == 302
    bobs.post(reverse("accounts:logout"))
    for _ in range(3):
        wrong(Client(), alice.email)
    assert wrong(bobs, alice.email).status_code == 429
    assert right(bobs, alice.email).status_code == 429


def test_the_browser_cookie_names_nobody(client, alice):
    right(client, alice.email)
    cookie = client.cookies["portevoix_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    encoded = cookie.value.split(":", 1)[0]
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert set(payload) == {"e", "n"}  # an HMAC of the e-mail and a random id
    assert alice.email not in json.dumps(payload) and alice.pk not in payload.values()
    assert (
        len(payload["e"]) == 40 and payload["e"] != hashlib.sha1(alice.email.encode()).hexdigest()
    )


def test_guesses_from_a_known_browser_are_limited_too(alice, settings):
    settings.LOGIN_RATE = "3/h"
    alices = Client()
    right(alices, alice.email)
    alices.post(reverse("accounts:logout"))
    answers = [wrong(alices, alice.email).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_right_password_works_again_after_a_short_delay(client, alice, settings):
    settings.LOGIN_RATE = "3/2s"
    for _ in range(10):
        if wrong(client, alice.email).status_code == 429:
            break
    assert right(client, alice.email).status_code == 429
    time.sleep(2.1)
    assert right(client, alice.email).status_code == 302


def test_the_reset_link_logs_a_locked_out_person_in(client, alice, settings):
    settings.LOGIN_RATE = "3/h"
    for _ in range(5):
        wrong(Client(), alice.email)
    assert right(client, alice.email).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    link = next(w for w in mail.outbox[0].body.split() if "/password-reset/" in w)
    form = client.get(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]), follow=True)
    new = "nouveau-mot-de-passe-77"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    client.post(reverse("accounts:logout"))
    # The browser is now known: the attacker's failures no longer keep her out.
    assert (
        client.post(reverse(LOGIN), {"username": alice.email, "password": new}).status_code == 302
    )


def test_one_person_locked_out_does_not_lock_out_the_office(alice, bob, settings):
    """Behind one office address, a person who keeps failing reaches their own limit only."""
    settings.LOGIN_RATE = "3/h"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    office = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(50):  # 3 checked, 47 refused without using the office's limit
        wrong(Client(), alice.email, **office)
    assert right(Client(), alice.email, **office).status_code == 429
    colleagues = [
        __import__("conftest").make_person(f"c{n}@example.com", f"C {n}", "ambassador")
        for n in range(12)
    ]
    for colleague in [bob, *colleagues]:  # new browsers, the same address
        assert right(Client(), colleague.email, **office).status_code == 302, colleague.email


@pytest.mark.parametrize("header", ["", "X-Forwarded-For"])
def test_a_refused_attempt_says_when_to_try_again(client, alice, settings, header):
    settings.LOGIN_RATE = "2/m"
    settings.CLIENT_IP_HEADER = header
    for _ in range(2):
        wrong(client, alice.email)
    response = right(client, alice.email)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 61
    assert reverse("accounts:password_reset") in response.content.decode()


@pytest.mark.parametrize(
    "text,expected",
    [("10/m", (10, 60)), ("5/30s", (5, 30)), ("100/h", (100, 3600)), ("3/2m", (3, 120))],
)
def test_log_in_rates_read_as_a_count_per_period(text, expected):
    from portevoix.accounts.login_limits import parse_rate

    rate = parse_rate(text)
    assert (rate.limit, rate.seconds) == expected


@pytest.mark.parametrize("text", ["", "10", "ten/m", "10/x", "10/0m", "0/m", "-1/m"])
def test_a_mistyped_log_in_rate_is_a_system_check_error(settings, text):
    from portevoix.accounts.checks import login_rate_check

    settings.LOGIN_RATE = text
    assert [e.id for e in login_rate_check()] == ["accounts.E001"]
