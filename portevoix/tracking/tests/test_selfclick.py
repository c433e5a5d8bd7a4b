"""The self-click cookie: set while logged in, gone once logged out, never set by the redirect."""

import pytest
from django.urls import reverse

from portevoix.tracking.selfclick import SELF_COOKIE, self_token_for, self_token_matches
from portevoix.tracking.tests.conftest import call


def test_a_logged_in_person_carries_a_cookie_that_only_we_can_match_to_them(client_for, alice, bob):
    client = client_for(alice)
    response = client.get(reverse("core:home"))
    cookie = response.cookies[SELF_COOKIE]
    assert self_token_matches(cookie.value, alice.pk)
    assert not self_token_matches(cookie.value, bob.pk)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Set once: the next pages do not send it again.
    assert SELF_COOKIE not in client.get(reverse("core:home")).cookies


def test_logging_out_removes_it(client_for, alice):
    client = client_for(alice)
    client.get(reverse("core:home"))
    response = client.post(reverse("accounts:logout"))
    assert response.cookies[SELF_COOKIE].value == ""
    assert response.cookies[SELF_COOKIE]["max-age"] == 0


def test_anonymous_visitors_get_no_cookie(client, db):
    assert SELF_COOKIE not in client.get(reverse("accounts:login")).cookies


def test_a_cookie_for_someone_else_is_replaced(client_for, alice, bob):
    client = client_for(bob)
    client.get(reverse("core:home"))
    client.force_login(alice)
    assert self_token_matches(client.get(reverse("core:home")).cookies[SELF_COOKIE].value, alice.pk)


def test_the_redirect_sets_no_cookie_for_visitors(redirect_app, link):
    answer = call(redirect_app, f"/s/{link.code}")
    assert not [name for name, _ in answer.header_list if name.lower() == "set-cookie"]


@pytest.mark.parametrize("person_id", [7, 42, 1234567])
def test_the_cookie_does_not_carry_the_persons_id(person_id):
    token = self_token_for(person_id)
    # The former value was "42:<signature>": anyone could read the id before the colon.
    assert not token.startswith(str(person_id)) and ":" not in token
    assert len(token) == len(self_token_for(1))  # the same shape whoever it is
    assert token != self_token_for(person_id + 1)


def test_a_forged_or_damaged_cookie_matches_nobody():
    token = self_token_for(42)
    assert self_token_matches(token, 42)
    for forged in [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token[:-2],
        "",
        "42",
        "x" * 128,
    ]:
        assert not self_token_matches(forged, 42)


def test_the_cookie_a_logged_in_ambassador_carries_makes_their_click_a_self_click(
    client_for, alice, redirect_app, link
):
    from portevoix.tracking.ingest import clicks_ingest
    from portevoix.tracking.models import Click, ClickKind

    value = client_for(alice).get(reverse("core:home")).cookies[SELF_COOKIE].value
    call(redirect_app, f"/s/{link.code}", cookie=f"sessionid=x; {SELF_COOKIE}={value}")
    clicks_ingest()
    assert Click.objects.get().kind == ClickKind.SELF
