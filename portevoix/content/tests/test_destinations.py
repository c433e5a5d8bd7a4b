"""Destination URLs: public http(s) pages only."""

import pytest

from portevoix.content.destinations import destination_url_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://www.lumiere.example/actualites/eolien?utm_source=x#haut",
        "http://lumiere.example",
        "https://éolien.example/page",  # an internationalised name
    ],
)
def test_public_http_addresses_are_accepted(url):
    assert destination_url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://files.lumiere.example/plaquette.pdf",
        "file:///etc/passwd",
        "mailto:someone@example.com",
        "//lumiere.example/sans-schema",
        "lumiere.example/sans-schema",
        "http://127.0.0.1/admin",
        "http://localhost:8000/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://intranet/",
        "http://imprimante.local/",
        "http://wiki.corp.internal/",
        "https://user:secret@lumiere.example/",
        "https://exa mple.com/",
        "https://" + "a" * 2000 + ".example/",
    ],
)
def test_other_addresses_are_refused_with_a_reason(url):
    problem = destination_url_problem(url)
    assert problem and isinstance(problem, str)


def test_loopback_is_accepted_only_when_the_operator_allows_it(settings):
    assert destination_url_problem("http://127.0.0.1:8123/page")
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    assert destination_url_problem("http://127.0.0.1:8123/page") is None
