"""Bad input on the redirect: odd codes, huge headers, control characters. Nothing breaks and
nothing but real clicks reaches the inbox."""

import pytest

from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import Click
from portevoix.tracking.selfclick import SELF_COOKIE, self_token_for
from portevoix.tracking.tests.conftest import call, inbox_clicks


@pytest.mark.parametrize(
    "path",
    [
        "/s/../../etc/passwd",
        "/s/..%2F..%2Fetc%2Fpasswd",
        "/s/%2e%2e/settings.py",
        "/s/abc/def",
        "/s/",
        "/s//",
        "/s/été",
        "/s/Ã©tÃ©",  # UTF-8 bytes as a WSGI server passes them (latin-1 decoded)
        "/s/😀",
        "/s/abc\x00def",
        "/s/abc def",
        "/s/" + "a" * 17,
        "/s/" + "a" * 10240,
        "/s/" + "é" * 10240,
    ],
)
def test_odd_codes_get_the_404_page_and_record_nothing(redirect_app, link, path):
    answer = call(redirect_app, path)
    assert answer.status == 404
    assert b"<!doctype html>" in answer.body
    assert inbox_clicks() == []


def test_a_known_code_in_another_case_is_another_code(redirect_app, link):
    assert call(redirect_app, f"/s/{link.code.swapcase()}").status == 404


def test_huge_user_agents_and_referrers_are_cut_not_refused(redirect_app, link):
    answer = call(
        redirect_app,
        f"/s/{link.code}",
        user_agent="Mozilla/5.0 " + "x" * 10240,
        referer="https://www.linkedin.com/" + "y" * 10240,
    )
    assert answer.status == 302
    [raw] = inbox_clicks()
    assert len(raw.user_agent) == 512 and len(raw.referrer) == 512
    clicks_ingest()
    assert Click.objects.get().referrer_host == "www.linkedin.com"


def test_control_characters_in_headers_do_not_break_the_inbox(redirect_app, link):
    answer = call(redirect_app, f"/s/{link.code}", user_agent="Mozilla/5.0\x00evil", referer="\x00")
    assert answer.status == 302
    [raw] = inbox_clicks()
    assert raw.user_agent == "Mozilla/5.0evil" and raw.referrer == ""


@pytest.mark.parametrize(
    "cookie",
    [
        "x" * 10240,
        f"{SELF_COOKIE}=" + "z" * 10240,
        f"not{SELF_COOKIE}=abc",
        f"{SELF_COOKIE}=",
        ";;;=;",
    ],
)
def test_odd_cookies_are_ignored(redirect_app, link, cookie):
    assert call(redirect_app, f"/s/{link.code}", cookie=cookie).status == 302
    [raw] = inbox_clicks()
    assert raw.self_token == ""


def test_the_self_click_cookie_is_found_among_others(redirect_app, link, alice):
    token = self_token_for(alice.pk)
    call(redirect_app, f"/s/{link.code}", cookie=f"csrftoken=abc; {SELF_COOKIE}={token}; x=y")
    assert inbox_clicks()[0].self_token == token


def test_an_address_from_a_proxy_header_is_used_only_when_configured(make_app, link, settings):
    call(make_app(), f"/s/{link.code}", x_forwarded_for="198.51.100.9")
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    behind_proxy = make_app()
    call(behind_proxy, f"/s/{link.code}", x_forwarded_for="10.0.0.1, 198.51.100.9")
    call(behind_proxy, f"/s/{link.code}", ip="198.51.100.50", x_forwarded_for="198.51.100.9")
    direct, first, second = inbox_clicks()
    assert first.visitor == second.visitor  # the proxy's view of the client, spoofing ignored
    assert direct.visitor != first.visitor
