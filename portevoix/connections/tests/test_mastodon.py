"""The Mastodon module against the local Mastodon server: app, OAuth with PKCE, refresh,
revoke, publish (Idempotency-Key), followers, engagement, and the failures."""

from __future__ import annotations

import time

import pytest

from portevoix.connections.connecting import pkce_pair
from portevoix.connections.networks.base import (
    Credentials,
    LinkCard,
    PublishRequest,
    ReconnectNeeded,
    Refused,
    TransientError,
)
from portevoix.connections.networks.mastodon import Mastodon
from portevoix.connections.tests.conftest import REDIRECT
from portevoix.connections.tests.servers import Failure

MODULE = Mastodon()


def connected(server, *, refresh: bool = False):
    from portevoix.connections.networks.base import Client

    server.issue_refresh_tokens = refresh
    client_id, secret = MODULE.app_register(
        base_url=server.base_url,
        redirect_uri=REDIRECT,
        name="Portevoix",
        website="http://testserver/",
    )
    client = Client(
        client_id=client_id,
        client_secret=secret,
        api_base=server.base_url,
        auth_base=server.base_url,
    )
    verifier, challenge = pkce_pair()
    code = server.grant(client_id=client_id, redirect_uri=REDIRECT, code_challenge=challenge)
    credentials = MODULE.exchange_code(
        client=client, redirect_uri=REDIRECT, code=code, code_verifier=verifier
    )
    return client, credentials


def request(key: str = "key-1") -> PublishRequest:
    return PublishRequest(
        text="Nos éoliennes tournent !",
        link=LinkCard(url="https://pv.example/s/abc"),
        idempotency_key=key,
    )


def test_the_app_is_registered_with_our_redirect_and_scopes(mastodon):
    client_id, _secret = MODULE.app_register(
        base_url=mastodon.base_url,
        redirect_uri=REDIRECT,
        name="Portevoix",
        website="http://testserver/",
    )
    app = mastodon.apps[client_id]
    assert app["redirect_uri"] == REDIRECT
    assert app["scopes"] == "read:accounts read:statuses write:statuses"


def test_the_authorisation_url_asks_for_a_code_with_pkce(mastodon):
    from urllib.parse import parse_qs, urlsplit

    from portevoix.connections.networks.base import Client

    url = MODULE.authorization_url(
        client=Client("id", "secret", mastodon.base_url, mastodon.base_url),
        redirect_uri=REDIRECT,
        state="st",
        code_challenge="ch",
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{mastodon.base_url}/oauth/authorize?")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"] == ["ch"]
    assert query["state"] == ["st"] and query["response_type"] == ["code"]


def test_a_code_is_exchanged_for_a_token_and_the_account(mastodon):
    _client, credentials = connected(mastodon)
    assert credentials.access_token in mastodon.tokens
    assert credentials.account_id == "109"
    assert credentials.handle == f"@alice@{mastodon.base_url.removeprefix('http://')}"
    assert credentials.server == mastodon.base_url


def test_a_wrong_code_verifier_is_refused(mastodon):
    from portevoix.connections.networks.base import Client

    client_id, secret = MODULE.app_register(
        base_url=mastodon.base_url, redirect_uri=REDIRECT, name="P", website=""
    )
    client = Client(client_id, secret, mastodon.base_url, mastodon.base_url)
    _verifier, challenge = pkce_pair()
    code = mastodon.grant(client_id=client_id, redirect_uri=REDIRECT, code_challenge=challenge)
    with pytest.raises(ReconnectNeeded):
        MODULE.exchange_code(
            client=client, redirect_uri=REDIRECT, code=code, code_verifier="not-the-one"
        )
    assert mastodon.tokens == {}


def test_a_replayed_code_is_refused(mastodon):
    from portevoix.connections.networks.base import Client

    client_id, secret = MODULE.app_register(
        base_url=mastodon.base_url, redirect_uri=REDIRECT, name="P", website=""
    )
    client = Client(client_id, secret, mastodon.base_url, mastodon.base_url)
    verifier, challenge = pkce_pair()
    code = mastodon.grant(client_id=client_id, redirect_uri=REDIRECT, code_challenge=challenge)
    MODULE.exchange_code(client=client, redirect_uri=REDIRECT, code=code, code_verifier=verifier)
    with pytest.raises(ReconnectNeeded):
        MODULE.exchange_code(
            client=client, redirect_uri=REDIRECT, code=code, code_verifier=verifier
        )
    assert len(mastodon.tokens) == 1


def test_a_refresh_token_gives_a_new_access_token(mastodon):
    client, credentials = connected(mastodon, refresh=True)
    fresh = MODULE.refresh(client=client, credentials=credentials)
    assert fresh.access_token != credentials.access_token and fresh.access_token in mastodon.tokens
    with pytest.raises(ReconnectNeeded):  # a refresh token is used once
        MODULE.refresh(client=client, credentials=credentials)


def test_revoking_ends_the_token(mastodon):
    client, credentials = connected(mastodon)
    MODULE.revoke(client=client, credentials=credentials)
    assert mastodon.revoked == [credentials.access_token]
    with pytest.raises(ReconnectNeeded):
        MODULE.followers(client=client, credentials=credentials)


def test_publishing_posts_the_text_and_link_with_the_idempotency_key(mastodon):
    client, credentials = connected(mastodon)
    published = MODULE.publish(client=client, credentials=credentials, request=request())
    status = mastodon.statuses[published.post_id]
    assert status["content"] == "Nos éoliennes tournent !\n\nhttps://pv.example/s/abc"
    assert published.url == f"{mastodon.base_url}/@alice/{published.post_id}"
    sent = [h for m, p, h in mastodon.requests if p == "/api/v1/statuses"]
    assert sent[0]["idempotency-key"] == "key-1"
    again = MODULE.publish(client=client, credentials=credentials, request=request())
    assert again.post_id == published.post_id and len(mastodon.statuses) == 1


def test_followers_and_engagement_are_read(mastodon):
    client, credentials = connected(mastodon)
    assert MODULE.followers(client=client, credentials=credentials) == 321
    published = MODULE.publish(client=client, credentials=credentials, request=request())
    engagement = MODULE.engagement(
        client=client, credentials=credentials, post_id=published.post_id
    )
    assert (engagement.likes, engagement.reposts, engagement.replies) == (4, 2, 1)


def test_a_refused_token_asks_to_reconnect(mastodon):
    client, credentials = connected(mastodon)
    stale = Credentials(
        access_token="revoked", account_id="109", handle="@alice", server=mastodon.base_url
    )
    with pytest.raises(ReconnectNeeded):
        MODULE.publish(client=client, credentials=stale, request=request())
    assert mastodon.statuses == {}


def test_a_429_says_when_to_come_back(mastodon):
    client, credentials = connected(mastodon)
    mastodon.failures = [Failure(429, {"Retry-After": "120"})]
    with pytest.raises(TransientError) as raised:
        MODULE.publish(client=client, credentials=credentials, request=request())
    assert raised.value.retry_after == 120
    assert mastodon.statuses == {}


def test_a_500_is_transient(mastodon):
    client, credentials = connected(mastodon)
    mastodon.failures = [Failure(500)]
    with pytest.raises(TransientError):
        MODULE.publish(client=client, credentials=credentials, request=request())


def test_a_server_that_never_answers_times_out(mastodon, settings):
    settings.CONNECTIONS_TIMEOUT = 0.5
    client, credentials = connected(mastodon)
    mastodon.failures = [Failure(200, delay=2)]
    started = time.monotonic()
    with pytest.raises(TransientError):
        MODULE.publish(client=client, credentials=credentials, request=request())
    assert time.monotonic() - started < 1.8


def test_an_empty_status_is_refused_for_good(mastodon):
    client, credentials = connected(mastodon)
    with pytest.raises(Refused):
        MODULE.publish(
            client=client,
            credentials=credentials,
            request=PublishRequest(text="", link=LinkCard(url=""), idempotency_key="k"),
        )
