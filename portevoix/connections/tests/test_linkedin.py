"""The LinkedIn module against the local LinkedIn server: OAuth (no PKCE for member web
apps), userinfo, refresh, revoke, the Posts API with its version headers, and the failures."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from portevoix.connections.networks.base import (
    Client,
    LinkCard,
    PublishRequest,
    ReconnectNeeded,
    TransientError,
)
from portevoix.connections.networks.linkedin import API_VERSION, LinkedIn
from portevoix.connections.tests.servers import Failure

MODULE = LinkedIn()
REDIRECT = "http://testserver/connections/linkedin/callback/"


def connected(server):
    client = Client(server.client_id, server.client_secret, server.base_url, server.base_url)
    code = server.grant(redirect_uri=REDIRECT)
    return client, MODULE.exchange_code(
        client=client, redirect_uri=REDIRECT, code=code, code_verifier=""
    )


def request() -> PublishRequest:
    return PublishRequest(
        text="Fiers de nos équipes",
        link=LinkCard(url="https://pv.example/s/abc", title="Nos éoliennes", description="En mer"),
        idempotency_key="k1",
    )


def test_the_authorisation_url_asks_for_openid_profile_and_sharing(linkedin):
    from urllib.parse import parse_qs, urlsplit

    client = Client(
        linkedin.client_id, linkedin.client_secret, linkedin.base_url, linkedin.base_url
    )
    url = MODULE.authorization_url(
        client=client, redirect_uri=REDIRECT, state="st", code_challenge="x"
    )
    query = parse_qs(urlsplit(url).query)
    assert urlsplit(url).path == "/oauth/v2/authorization"
    assert query["scope"] == ["openid profile w_member_social"] and query["state"] == ["st"]


def test_a_code_gives_a_60_day_token_and_the_member_urn(linkedin):
    _client, credentials = connected(linkedin)
    assert credentials.account_id == "urn:li:person:782bbtaQ"
    assert credentials.handle == "Alice Martin"
    assert credentials.expires_at - timezone.now() > timedelta(days=59)


def test_a_replayed_code_is_refused(linkedin):
    client = Client(
        linkedin.client_id, linkedin.client_secret, linkedin.base_url, linkedin.base_url
    )
    code = linkedin.grant(redirect_uri=REDIRECT)
    MODULE.exchange_code(client=client, redirect_uri=REDIRECT, code=code, code_verifier="")
    with pytest.raises(ReconnectNeeded):
        MODULE.exchange_code(client=client, redirect_uri=REDIRECT, code=code, code_verifier="")


def test_publishing_uses_the_posts_api_with_its_headers(linkedin):
    client, credentials = connected(linkedin)
    published = MODULE.publish(client=client, credentials=credentials, request=request())
    post = linkedin.posts[0]
    assert post["author"] == "urn:li:person:782bbtaQ"
    assert post["commentary"] == "Fiers de nos équipes"
    assert post["content"]["article"] == {
        "source": "https://pv.example/s/abc",
        "title": "Nos éoliennes",
        "description": "En mer",
    }
    assert post["lifecycleState"] == "PUBLISHED" and post["visibility"] == "PUBLIC"
    headers = [h for m, p, h in linkedin.requests if p == "/rest/posts"][0]
    assert headers["linkedin-version"] == API_VERSION
    assert published.post_id == post["id"]
    assert (
        published.url == f"https://www.linkedin.com/feed/update/{post['id'].replace(':', '%3A')}/"
    )


def test_an_expired_token_is_refused_then_refreshed(linkedin):
    client, credentials = connected(linkedin)
    linkedin.expire_all()
    with pytest.raises(ReconnectNeeded):
        MODULE.publish(client=client, credentials=credentials, request=request())
    fresh = MODULE.refresh(client=client, credentials=credentials)
    MODULE.publish(client=client, credentials=fresh, request=request())
    assert len(linkedin.posts) == 1


def test_without_a_refresh_token_the_member_reconnects(linkedin):
    linkedin.partner_refresh = False
    client, credentials = connected(linkedin)
    with pytest.raises(ReconnectNeeded):
        MODULE.refresh(client=client, credentials=credentials)


def test_revoking_ends_the_token(linkedin):
    client, credentials = connected(linkedin)
    MODULE.revoke(client=client, credentials=credentials)
    assert linkedin.revoked == [credentials.access_token]
    with pytest.raises(ReconnectNeeded):
        MODULE.publish(client=client, credentials=credentials, request=request())


def test_followers_and_engagement_are_not_given_to_member_apps(linkedin):
    client, credentials = connected(linkedin)
    assert MODULE.followers(client=client, credentials=credentials) is None
    assert (
        MODULE.engagement(client=client, credentials=credentials, post_id="urn:li:share:1") is None
    )


def test_429_500_and_silence_are_transient(linkedin, settings):
    client, credentials = connected(linkedin)
    linkedin.failures = [Failure(429, {"Retry-After": "30"}), Failure(500)]
    with pytest.raises(TransientError) as raised:
        MODULE.publish(client=client, credentials=credentials, request=request())
    assert raised.value.retry_after == 30
    with pytest.raises(TransientError):
        MODULE.publish(client=client, credentials=credentials, request=request())
    settings.CONNECTIONS_TIMEOUT = 0.5
    linkedin.failures = [Failure(201, delay=2)]
    started = time.monotonic()
    with pytest.raises(TransientError):
        MODULE.publish(client=client, credentials=credentials, request=request())
    assert time.monotonic() - started < 1.8
    assert linkedin.posts == []
