"""The X module against a local server that speaks X API v2 as X documents it (OAuth 2.0 with
PKCE, token rotation, revoke, tweets, public metrics, rate limits), on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from portevoix.accounts.models import Network
from portevoix.connections.networks.base import (
    Client,
    ConnectedNetwork,
    Credentials,
    LinkCard,
    PublishRequest,
    ReconnectNeeded,
    Refused,
    TransientError,
)
from portevoix.connections.networks.x import XNetwork, posted_text
from portevoix.connections.testing.x_server import XTestServer
from portevoix.sharing.limits import count_x

REDIRECT_URI = "https://portevoix.example/connections/x/callback/"
LINK = "https://portevoix.example/s/AbCdEfGh"


@pytest.fixture
def x_server(settings):
    server = XTestServer(redirect_uri=REDIRECT_URI).start()
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    yield server
    server.stop()


@pytest.fixture
def client(x_server) -> Client:
    return Client(
        client_id=x_server.state.client_id,
        client_secret=x_server.state.client_secret,
        api_base=x_server.url,
        auth_base=x_server.url,
    )


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def consent(url: str) -> dict[str, str]:
    """What the person's browser does at X's consent screen: the query X sends back."""
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(url, timeout=5)
    assert answer.value.code == 302
    location = answer.value.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def connect(client: Client, network: XNetwork | None = None) -> Credentials:
    network = network or XNetwork()
    verifier, challenge = pkce()
    url = network.authorization_url(
        client=client, redirect_uri=REDIRECT_URI, state="st4te", code_challenge=challenge
    )
    back = consent(url)
    return network.exchange_code(
        client=client, redirect_uri=REDIRECT_URI, code=back["code"], code_verifier=verifier
    )


def request(text: str, key: str = "share-1") -> PublishRequest:
    return PublishRequest(text=text, link=LinkCard(url=LINK), idempotency_key=key)


@pytest.fixture(autouse=True)
def english():
    """The module's messages in the words of its source (the French catalogue is tested
    through the pages)."""
    with translation.override("en"):
        yield


def test_the_module_provides_the_protocol() -> None:
    network: ConnectedNetwork = XNetwork()  # mypy checks the match
    assert network.network == Network.X


def test_authorization_url_asks_for_the_documented_scopes_with_pkce(client):
    url = XNetwork().authorization_url(
        client=client, redirect_uri=REDIRECT_URI, state="abc", code_challenge="ch"
    )
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/i/oauth2/authorize"
    assert query == {
        "response_type": "code",
        "client_id": "x-client-id",
        "redirect_uri": REDIRECT_URI,
        "scope": "tweet.write users.read tweet.read offline.access",
        "state": "abc",
        "code_challenge": "ch",
        "code_challenge_method": "S256",
    }
    assert "%20" in url and "+" not in url  # scopes separated by encoded spaces


def test_code_exchange_gives_the_account_and_tokens(client, x_server):
    credentials = connect(client)
    assert credentials.account_id == "1460000000000000001"
    assert credentials.handle == "@camille_portevoix"
    assert credentials.access_token in x_server.state.access_tokens
    assert credentials.refresh_token in x_server.state.refresh_tokens
    assert credentials.expires_at is not None and credentials.expires_at > datetime.now(UTC)


def test_a_replayed_code_is_refused(client):
    network = XNetwork()
    verifier, challenge = pkce()
    back = consent(
        network.authorization_url(
            client=client, redirect_uri=REDIRECT_URI, state="s", code_challenge=challenge
        )
    )
    network.exchange_code(
        client=client, redirect_uri=REDIRECT_URI, code=back["code"], code_verifier=verifier
    )
    with pytest.raises(ReconnectNeeded) as refused:
        network.exchange_code(
            client=client, redirect_uri=REDIRECT_URI, code=back["code"], code_verifier=verifier
        )
    assert "already used" in refused.value.detail
    assert back["code"] not in refused.value.detail


def test_a_wrong_code_verifier_is_refused(client):
    network = XNetwork()
    _verifier, challenge = pkce()
    back = consent(
        network.authorization_url(
            client=client, redirect_uri=REDIRECT_URI, state="s", code_challenge=challenge
        )
    )
    with pytest.raises(ReconnectNeeded):
        network.exchange_code(
            client=client, redirect_uri=REDIRECT_URI, code=back["code"], code_verifier="wrong"
        )


def test_a_wrong_client_secret_is_refused(client, x_server):
    network = XNetwork()
    verifier, challenge = pkce()
    back = consent(
        network.authorization_url(
            client=client, redirect_uri=REDIRECT_URI, state="s", code_challenge=challenge
        )
    )
    wrong = Client("x-client-id", "not-the-secret", api_base=x_server.url)
    with pytest.raises(ReconnectNeeded):
        network.exchange_code(
            client=wrong, redirect_uri=REDIRECT_URI, code=back["code"], code_verifier=verifier
        )


def test_a_public_client_connects_with_pkce_alone(x_server):
    x_server.state.client_secret = ""
    public = Client("x-client-id", "", api_base=x_server.url, auth_base=x_server.url)
    credentials = connect(public)
    assert credentials.handle == "@camille_portevoix"
    assert XNetwork().followers(client=public, credentials=credentials) == 1234


def test_an_expired_token_is_refused_then_refreshed_with_rotation(client, x_server):
    x_server.state.access_lifetime = 1
    network = XNetwork()
    credentials = connect(client, network)
    time.sleep(1.1)
    with pytest.raises(ReconnectNeeded):
        network.followers(client=client, credentials=credentials)
    x_server.state.access_lifetime = 7200
    fresh = network.refresh(client=client, credentials=credentials)
    assert fresh.access_token != credentials.access_token
    assert fresh.refresh_token != credentials.refresh_token
    assert (fresh.account_id, fresh.handle) == (credentials.account_id, credentials.handle)
    assert network.followers(client=client, credentials=fresh) == 1234
    # The refresh token just used is spent: using it again means connecting again.
    with pytest.raises(ReconnectNeeded):
        network.refresh(client=client, credentials=credentials)


def test_revoke_ends_every_token(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    network.revoke(client=client, credentials=credentials)
    assert x_server.state.access_tokens == {} and x_server.state.refresh_tokens == {}
    with pytest.raises(ReconnectNeeded):
        network.followers(client=client, credentials=credentials)
    network.revoke(client=client, credentials=credentials)  # already revoked: nothing to do


def test_publish_posts_the_text_with_the_link(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    published = network.publish(
        client=client, credentials=credentials, request=request("Notre rapport 2026 ✨")
    )
    [tweet] = x_server.state.tweets
    assert tweet.text == f"Notre rapport 2026 ✨ {LINK}"
    assert published.post_id == tweet.id
    assert published.url == f"https://x.com/camille_portevoix/status/{tweet.id}"


def test_280_with_a_url_counted_as_23_is_accepted_and_281_refused_before_sending(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    long_link = "https://portevoix.example/s/" + "a" * 60  # 88 characters, counted 23
    text = "é" * (280 - 23 - 1)  # the space before the link
    exact = PublishRequest(text=text, link=LinkCard(url=long_link), idempotency_key="k1")
    assert count_x(posted_text(exact)) == 280 and len(posted_text(exact)) > 280
    network.publish(client=client, credentials=credentials, request=exact)
    assert len(x_server.state.tweets) == 1

    over = PublishRequest(text=text + "e", link=LinkCard(url=long_link), idempotency_key="k2")
    sent_before = len(x_server.state.requests)
    with pytest.raises(Refused) as refused:
        network.publish(client=client, credentials=credentials, request=over)
    assert "281" in refused.value.detail and "280" in refused.value.detail
    assert len(x_server.state.requests) == sent_before  # nothing went out
    assert len(x_server.state.tweets) == 1


def test_a_text_that_already_holds_the_link_gets_it_once(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    network.publish(
        client=client, credentials=credentials, request=request(f"Lisez {LINK} dès demain")
    )
    assert x_server.state.tweets[0].text == f"Lisez {LINK} dès demain"


def test_a_duplicate_tweet_is_refused_not_a_reconnection(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    network.publish(client=client, credentials=credentials, request=request("Same"))
    with pytest.raises(Refused) as refused:
        network.publish(client=client, credentials=credentials, request=request("Same", "k2"))
    assert "identical" in refused.value.detail
    assert len(x_server.state.tweets) == 1


def test_429_gives_the_wait_x_asked_for(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    x_server.state.fail_next = [429]
    with pytest.raises(TransientError) as limited:
        network.publish(client=client, credentials=credentials, request=request("Hello"))
    assert limited.value.retry_after == 42
    assert x_server.state.tweets == []


def test_429_without_retry_after_waits_until_the_rate_limit_reset(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    x_server.state.retry_after_header = False
    x_server.state.fail_next = [429]
    with pytest.raises(TransientError) as limited:
        network.followers(client=client, credentials=credentials)
    assert limited.value.retry_after is not None and 890 <= limited.value.retry_after <= 900


def test_500_then_success_posts_exactly_once(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    x_server.state.fail_next = [500]
    with pytest.raises(TransientError) as failed:
        network.publish(client=client, credentials=credentials, request=request("Once"))
    assert failed.value.retry_after is None
    assert x_server.state.tweets == []
    # The worker tries again later with the same request: one tweet, and only one POST each time.
    published = network.publish(client=client, credentials=credentials, request=request("Once"))
    assert [t.id for t in x_server.state.tweets] == [published.post_id]
    assert x_server.state.requests.count("POST /2/tweets") == 2


def test_a_server_that_never_answers_is_transient_within_the_timeout(client, x_server):
    network = XNetwork(timeout=1.0)
    credentials = connect(client, network)
    x_server.state.silent = True
    started = time.monotonic()
    with pytest.raises(TransientError) as silent:
        network.publish(client=client, credentials=credentials, request=request("Lost"))
    assert time.monotonic() - started < 3
    assert "may have been posted" in silent.value.detail
    assert x_server.state.requests.count("POST /2/tweets") == 1  # never sent again on its own
    with pytest.raises(TransientError):
        network.followers(client=client, credentials=credentials)


def test_a_closed_port_is_transient(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = Client("id", "secret", api_base=f"http://127.0.0.1:{port}")
    credentials = Credentials(access_token="t", account_id="1", handle="@a")
    with pytest.raises(TransientError):
        XNetwork(timeout=1.0).followers(client=closed, credentials=credentials)


def test_followers_are_read_from_public_metrics(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    x_server.state.consenting_user.followers = 5678
    assert network.followers(client=client, credentials=credentials) == 5678


def test_engagement_reads_public_metrics(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    published = network.publish(client=client, credentials=credentials, request=request("Metrics"))
    tweet = x_server.state.tweets[0]
    tweet.likes, tweet.retweets, tweet.quotes, tweet.replies, tweet.impressions = 7, 2, 1, 3, 950
    engagement = network.engagement(
        client=client, credentials=credentials, post_id=published.post_id
    )
    assert engagement is not None
    assert (engagement.likes, engagement.reposts, engagement.replies, engagement.impressions) == (
        7,
        3,
        3,
        950,
    )
    assert network.engagement(client=client, credentials=credentials, post_id="1") is None


def test_a_plan_that_refuses_reading_tweets_gives_no_engagement_not_a_reconnection(
    client, x_server
):
    network = XNetwork()
    credentials = connect(client, network)
    published = network.publish(client=client, credentials=credentials, request=request("Plan"))
    x_server.state.plan_reads_tweets = False
    assert (
        network.engagement(client=client, credentials=credentials, post_id=published.post_id)
        is None
    )
    # A revoked token on the same call is a reconnection, told apart by X's error body.
    network.revoke(client=client, credentials=credentials)
    x_server.state.plan_reads_tweets = True
    with pytest.raises(ReconnectNeeded):
        network.engagement(client=client, credentials=credentials, post_id=published.post_id)


def test_loopback_is_refused_without_the_settings_exemption(client, settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    credentials = Credentials(access_token="t", account_id="1", handle="@a")
    with pytest.raises(Refused):
        XNetwork().followers(client=client, credentials=credentials)


def test_errors_never_carry_a_token(client, x_server):
    network = XNetwork()
    credentials = connect(client, network)
    network.revoke(client=client, credentials=credentials)
    with pytest.raises(ReconnectNeeded) as refused:
        network.publish(client=client, credentials=credentials, request=request("After revoke"))
    assert credentials.access_token not in refused.value.detail
    assert "connect X again" in refused.value.detail
