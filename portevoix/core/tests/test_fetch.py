import pytest

from portevoix.core.fetch import (
    FetchError,
    FetchRefused,
    check_fetchable_url,
    check_url,
    fetch,
    is_public_address,
)
from portevoix.core.testing import Answer, LocalHTTPServer, loopback_tls


def test_it_fetches_a_page(local_http):
    local_http.route("/page", Answer(body=b"<html>bonjour</html>", headers={"ETag": '"v1"'}))
    result = fetch(local_http.url("/page"))
    assert result.status == 200
    assert result.body == b"<html>bonjour</html>"
    assert result.header("ETag") == '"v1"'
    assert local_http.requests[0][2]["User-Agent"].startswith("Portevoix/")


def test_it_sends_conditional_headers_and_returns_304(local_http):
    local_http.route("/feed", Answer(status=304))
    result = fetch(local_http.url("/feed"), headers={"If-None-Match": '"v1"'})
    assert result.status == 304
    assert local_http.requests[0][2]["If-None-Match"] == '"v1"'


def test_it_follows_redirects_to_allowed_hosts(local_http):
    local_http.route("/old", Answer(status=301, headers={"Location": "/new"}))
    local_http.route("/new", Answer(body=b"here"))
    result = fetch(local_http.url("/old"))
    assert result.body == b"here" and result.url.endswith("/new")


def test_credentials_follow_a_redirect_on_the_same_host_only(local_http, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
    elsewhere = f"http://localhost:{local_http.port}/there"
    local_http.route("/here", Answer(status=302, headers={"Location": "/still-here"}))
    local_http.route("/still-here", Answer(status=302, headers={"Location": elsewhere}))
    local_http.route("/there", Answer(body=b"ok"))
    fetch(local_http.url("/here"), headers={"Authorization": "Bearer secret-token"})
    sent = {path: headers.get("Authorization") for _method, path, headers in local_http.requests}
    assert sent == {
        "/here": "Bearer secret-token",
        "/still-here": "Bearer secret-token",
        "/there": None,
    }


@pytest.fixture
def local_https(settings, tmp_path, monkeypatch):
    """The same local server over TLS, with a certificate the client trusts for this test."""
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    context, cert_file = loopback_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    server = LocalHTTPServer(tls=context).start()
    yield server
    server.stop()


def test_a_redirect_from_https_to_plain_http_is_refused(local_https, local_http):
    local_https.route("/keys", Answer(status=302, headers={"Location": local_http.url("/keys")}))
    local_https.route("/moved", Answer(status=302, headers={"Location": "/keys-here"}))
    local_https.route("/keys-here", Answer(body=b"{}"))
    local_http.route("/keys", Answer(body=b"forged"))

    with pytest.raises(FetchError, match="https"):
        fetch(local_https.url("/keys"))
    assert local_http.requests == []  # the plain-text address was never asked
    # Over https all along, the redirect is followed.
    assert fetch(local_https.url("/moved")).body == b"{}"


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://localhost/", "http://10.0.0.1/"]
)
def test_a_redirect_to_a_private_address_is_refused(local_http, target):
    local_http.route("/jump", Answer(status=302, headers={"Location": target}))
    with pytest.raises(FetchError, match="private|privée"):
        fetch(local_http.url("/jump"))


def test_loopback_is_refused_unless_allowed(local_http, settings):
    local_http.route("/page", Answer(body=b"secret"))
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    with pytest.raises(FetchError):
        fetch(local_http.url("/page"))
    assert local_http.requests == []


def test_a_huge_body_is_cut_off(local_http):
    local_http.route("/huge", Answer(body=b"x" * 3_000_000))
    result = fetch(local_http.url("/huge"), max_bytes=100_000)
    assert result.truncated
    assert len(result.body) == 100_000


def test_a_slow_server_times_out(local_http):
    local_http.route("/slow", Answer(body=b"late", delay=2))
    with pytest.raises(FetchError):
        fetch(local_http.url("/slow"), timeout=0.5)


@pytest.mark.parametrize("location", ["http://[x/", "http://[::1/", "//[x/here"])
def test_a_malformed_redirect_is_a_fetch_error(local_http, location):
    """`fetch` raises nothing but FetchError: a Location that is not a URL included."""
    local_http.route("/jump", Answer(status=302, headers={"Location": location}))
    with pytest.raises(FetchError, match="not a valid URL|pas une URL valide"):
        fetch(local_http.url("/jump"))
    assert len(local_http.requests) == 1


def test_redirect_loops_stop(local_http):
    local_http.route("/loop", Answer(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError):
        fetch(local_http.url("/loop"))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "http://user:pass@example.com/",
        "http:///nohost",
        "http://[::1",
    ],
)
def test_unfit_urls_are_refused_before_any_connection(url):
    with pytest.raises(FetchError):
        check_url(url)


@pytest.mark.parametrize(
    "address,public",
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.1.1", False),
        ("172.16.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("2606:4700:4700::1111", True),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "address,public",
    [
        ("::127.0.0.1", False),  # IPv4-compatible
        ("::10.0.0.1", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),  # IPv4-mapped
        ("::ffff:0:7f00:1", False),  # IPv4-translated
        ("::ffff:0:a9fe:a9fe", False),  # 169.254.169.254, the cloud metadata address
        ("64:ff9b::7f00:1", False),  # NAT64 well-known prefix
        ("64:ff9b::c0a8:101", False),  # 192.168.1.1 through NAT64
        ("64:ff9b:1::1", False),  # NAT64 local-use prefix: never public
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5f7:f7f7", False),  # Teredo, client 10.8.8.8
        ("64:ff9b::808:808", True),  # 8.8.8.8 through NAT64, as DNS64 gives an IPv6-only host
        ("::ffff:8.8.8.8", True),
    ],
)
def test_ipv6_forms_that_carry_an_ipv4_address_are_judged_by_that_address(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[::ffff:0:7f00:1]/",
        "http://[::ffff:127.0.0.1]:8000/",
        "http://[2002:7f00:1::1]/",
        "https://127.0.0.1/hook",
        "https://[::1]/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
    ],
)
def test_the_guard_refuses_private_addresses_in_every_form_before_any_connection(url):
    with pytest.raises(FetchRefused, match="private|privé"):
        check_fetchable_url(url)
    with pytest.raises(FetchRefused, match="private|privé"):
        fetch(url)


def test_the_guard_refuses_names_that_do_not_resolve(db):
    with pytest.raises(FetchError, match="found|introuvable") as refusal:
        check_fetchable_url("https://no-such-host.invalid/hook")
    assert not isinstance(refusal.value, FetchRefused)  # may resolve later: not refused for good


def test_the_guard_can_insist_on_https(local_http):
    url = local_http.url("/hook")
    assert check_fetchable_url(url) == url
    with pytest.raises(FetchError, match="https"):
        check_fetchable_url(url.replace("127.0.0.1", "localhost"), https_only=True)


def test_the_guard_lets_allowed_private_hosts_through(local_http):
    url = local_http.url("/hook")
    assert check_fetchable_url("  " + url + " ", https_only=True) == url


def test_an_unknown_host_is_a_clear_error(db):
    with pytest.raises(FetchError, match="found|introuvable"):
        fetch("http://no-such-host.invalid/")


def test_it_posts_a_body_and_does_not_follow_redirects(local_http):
    received = []

    def record(handler):
        received.append(handler.rfile.read(int(handler.headers["Content-Length"])))
        return Answer(status=302, headers={"Location": "/elsewhere"})

    local_http.route("/hook", record)
    result = fetch(
        local_http.url("/hook"),
        method="POST",
        body=b'{"text": "hi"}',
        headers={"Content-Type": "application/json"},
    )
    assert result.status == 302
    assert received == [b'{"text": "hi"}']
    assert [r[1] for r in local_http.requests] == ["/hook"]
