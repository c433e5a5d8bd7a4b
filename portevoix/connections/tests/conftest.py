"""The networks' local servers on loopback, pointed at through settings (never by patching
code), and a person's connection made through the real OAuth flow."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from portevoix.connections.testing.bluesky import (
    APPVIEW_DATABASE_URL,
    BlueskyTestNetwork,
    NetworkUnavailable,
)
from portevoix.connections.testing.x_server import XTestServer
from portevoix.connections.tests.servers import LinkedInServer, MastodonServer
from portevoix.content.tests.factories import make_post

T = TypeVar("T")
REDIRECT = "http://testserver/connections/mastodon/callback/"


@pytest.fixture
def mastodon(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.CONNECTIONS_TIMEOUT = 1
    server = MastodonServer().start()
    yield server
    server.stop()


@pytest.fixture
def linkedin(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.CONNECTIONS_TIMEOUT = 1
    server = LinkedInServer().start()
    settings.CONNECTIONS_ENDPOINTS = {
        **settings.CONNECTIONS_ENDPOINTS,
        "linkedin": (server.base_url, server.base_url),
    }
    settings.CONNECTIONS_CLIENTS = {
        **settings.CONNECTIONS_CLIENTS,
        "linkedin": (server.client_id, server.client_secret),
    }
    yield server
    server.stop()


@pytest.fixture
def x_app(settings):
    """X's local server, with the admin's app registered for the test server's callback."""
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.CONNECTIONS_TIMEOUT = 2
    server = XTestServer(redirect_uri="http://testserver/connections/x/callback/").start()
    settings.CONNECTIONS_ENDPOINTS = {
        **settings.CONNECTIONS_ENDPOINTS,
        "x": (server.url, server.url),
    }
    settings.CONNECTIONS_CLIENTS = {
        **settings.CONNECTIONS_CLIENTS,
        "x": (server.state.client_id, server.state.client_secret),
    }
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bluesky_network():
    """A real Bluesky network (PLC directory, PDS, AppView), started once per session."""
    from conftest import NODE_MODULES, _require_or_skip

    database = os.environ.get("PORTEVOIX_TEST_APPVIEW_DATABASE_URL", APPVIEW_DATABASE_URL)
    network = BlueskyTestNetwork(NODE_MODULES, database)
    try:
        network.start()
    except NetworkUnavailable as missing:  # Node, the npm package or PostgreSQL
        _require_or_skip(str(missing))
    yield network
    network.stop()


@pytest.fixture
def bsky(bluesky_network, settings) -> BlueskyTestNetwork:
    # The network's own URLs say `localhost`; core/fetch.py lets the tests reach it. The
    # settings point connecting at the network's directory and at its PDS to resolve handles.
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["localhost", "127.0.0.1"]
    settings.BLUESKY_DIRECTORY_URL = bluesky_network.plc
    settings.BLUESKY_RESOLVER_URL = bluesky_network.pds
    return bluesky_network


def eventually(read: Callable[[], T], done: Callable[[T], bool], seconds: float = 20) -> T:
    """The AppView indexes within about a second: ask again until it has."""
    deadline = time.monotonic() + seconds
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.3)
        value = read()
    return value


def instance_of(server: MastodonServer) -> str:
    return server.base_url.removeprefix("http://")


def authorize(url: str) -> str:
    """What the person's "Authorize" on the network's page does: the network's redirect back
    to us (its Location), read without following it."""
    import http.client
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    params = dict(parse_qsl(parts.query))
    if parts.path == "/oauth/authorize":  # Mastodon: the consent page's form
        connection.request(
            "POST",
            parts.path,
            body=urlencode(params),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    else:  # LinkedIn's local page redirects at once
        connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Location") or ""


def oauth_connect(client, network: str, *, instance: str = ""):
    """The round trip: our connect button, the network's consent, back to our callback.
    Returns (our callback's answer, the callback address the network sent the person to)."""
    from urllib.parse import urlsplit

    answer = client.post(f"/connections/{network}/connect/", {"instance": instance})
    assert answer.status_code == 302, answer.content
    back = authorize(answer["Location"])
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}"), f"{parts.path}?{parts.query}"


@pytest.fixture
def post(db):
    return make_post(messages=[("mastodon", "fr", "Nos éoliennes tournent : fiers des équipes !")])


def next_monday_at(hour: int) -> datetime:
    """A weekday inside the default sharing hours (Monday to Friday, 8:00–19:00, Paris)."""
    zone = ZoneInfo("Europe/Paris")
    day = datetime.now(zone).date() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
