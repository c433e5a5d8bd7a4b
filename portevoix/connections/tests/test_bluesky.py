"""The Bluesky module against a real Bluesky network started for the session (@atproto/dev-env:
PLC directory, PDS and AppView on 127.0.0.1), with fresh accounts for every test."""

from __future__ import annotations

import io
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import translation
from PIL import Image

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
from portevoix.connections.networks.bluesky import BlueskyNetwork, link_facets, record_key
from portevoix.connections.testing.bluesky import (
    Account,
    BlueskyTestNetwork,
    free_port,
    silent_server,
)
from portevoix.connections.tests.conftest import eventually

LINK = "https://portevoix.example/s/AbCd1234"
NO_CLIENT = Client(client_id="", client_secret="", api_base="")  # app passwords need no client


def connect(bsky: BlueskyTestNetwork, account: Account) -> Credentials:
    return BlueskyNetwork().connect_with_password(
        account.handle, account.app_password(), directory=bsky.plc, resolver=bsky.pds
    )


def png(width: int = 60, height: int = 30) -> bytes:
    image = Image.new("RGB", (width, height), (200, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def request(text: str, key: str = "share-1", **card: object) -> PublishRequest:
    return PublishRequest(text=text, link=LinkCard(url=LINK, **card), idempotency_key=key)  # type: ignore[arg-type]


# --- what needs no network -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english():
    """The module's messages in the words of its source (the French catalogue is tested
    through the pages)."""
    with translation.override("en"):
        yield


def test_the_module_provides_the_protocol() -> None:
    network: ConnectedNetwork = BlueskyNetwork()  # mypy checks the match
    assert network.network == Network.BLUESKY
    assert network.scopes == ()


def test_record_keys_are_tid_shaped_and_stable():
    key = record_key("share-42")
    assert re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", key)
    assert record_key("share-42") == key and record_key("share-43") != key


def test_link_facets_count_utf8_bytes():
    text = f"Été 🎉 {LINK}"
    [facet] = link_facets(text, LINK)
    encoded = text.encode()
    index = facet["index"]
    assert index == {
        "byteStart": 11,
        "byteEnd": 11 + len(LINK),
    }  # É 2, t 1, é 2, space, 🎉 4, space
    assert encoded[index["byteStart"] : index["byteEnd"]].decode() == LINK
    assert link_facets("no link here", LINK) == []


def test_oauth_is_not_offered():
    with pytest.raises(Refused) as refused:
        BlueskyNetwork().authorization_url(
            client=NO_CLIENT, redirect_uri="https://x.example/", state="s", code_challenge="c"
        )
    assert "app password" in refused.value.detail


def test_a_pds_that_never_answers_is_transient_within_the_timeout(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    server, url = silent_server()
    credentials = Credentials(access_token="a", account_id="did:plc:x", handle="h", server=url)
    started = time.monotonic()
    with server, pytest.raises(TransientError):
        BlueskyNetwork(timeout=1.0).publish(
            client=NO_CLIENT, credentials=credentials, request=request("Hello")
        )
    assert time.monotonic() - started < 3


def test_a_closed_port_is_transient(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    url = f"http://127.0.0.1:{free_port()}"
    credentials = Credentials(access_token="a", account_id="did:plc:x", handle="h", server=url)
    with pytest.raises(TransientError):
        BlueskyNetwork(timeout=1.0).followers(client=NO_CLIENT, credentials=credentials)


def test_a_handle_that_is_not_one_is_refused_before_any_request(settings):
    settings.FETCH_ALLOWED_PRIVATE_HOSTS = []
    for handle in ("not a handle", "http://127.0.0.1", "", "@"):
        with pytest.raises(Refused) as refused:
            BlueskyNetwork().connect_with_password(handle, "pass", directory="https://plc.test")
        assert "not a Bluesky handle" in refused.value.detail


# --- against the real network ----------------------------------------------------------------


def test_app_password_login(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    assert credentials.account_id == alice.did
    assert credentials.handle == alice.handle
    assert credentials.server == bsky.pds
    assert credentials.access_token and credentials.refresh_token
    assert credentials.expires_at is not None


def test_login_with_the_handle_written_with_an_at_sign(bsky):
    alice = bsky.account("alice")
    credentials = BlueskyNetwork().connect_with_password(
        f"@{alice.handle.upper()}", alice.app_password(), directory=bsky.plc, resolver=bsky.pds
    )
    assert credentials.account_id == alice.did


def test_login_with_the_did(bsky):
    alice = bsky.account("alice")
    credentials = BlueskyNetwork().connect_with_password(
        alice.did, alice.app_password(), directory=bsky.plc, resolver=bsky.pds
    )
    assert (credentials.account_id, credentials.handle) == (alice.did, alice.handle)


def test_a_wrong_app_password_asks_to_reconnect_clearly(bsky):
    alice = bsky.account("alice")
    alice.app_password()
    with pytest.raises(ReconnectNeeded) as refused:
        BlueskyNetwork().connect_with_password(
            alice.handle, "abcd-efgh-ijkl-mnop", directory=bsky.plc, resolver=bsky.pds
        )
    assert "app password" in refused.value.detail
    assert "abcd-efgh" not in refused.value.detail


def test_an_unknown_handle_is_refused(bsky):
    with pytest.raises(Refused) as refused:
        BlueskyNetwork().connect_with_password(
            "nobody-here.test", "abcd-efgh-ijkl-mnop", directory=bsky.plc, resolver=bsky.pds
        )
    assert "nobody-here.test" in refused.value.detail


def test_refresh_gives_a_new_session_that_works(bsky):
    network = BlueskyNetwork()
    credentials = connect(bsky, bsky.account("alice"))
    fresh = network.refresh(client=NO_CLIENT, credentials=credentials)
    # A new refresh token (the access token may read the same within the same second).
    assert fresh.refresh_token != credentials.refresh_token
    assert (fresh.account_id, fresh.handle, fresh.server) == (
        credentials.account_id,
        credentials.handle,
        credentials.server,
    )
    # The new session reads the profile (the AppView may take a moment to index the account).
    assert (
        eventually(
            lambda: network.followers(client=NO_CLIENT, credentials=fresh),
            done=lambda n: n is not None,
        )
        == 0
    )


def test_revoke_ends_the_session(bsky):
    network = BlueskyNetwork()
    credentials = connect(bsky, bsky.account("alice"))
    network.revoke(client=NO_CLIENT, credentials=credentials)
    with pytest.raises(ReconnectNeeded):
        network.refresh(client=NO_CLIENT, credentials=credentials)
    network.revoke(client=NO_CLIENT, credentials=credentials)  # already ended: nothing to do


def test_a_post_with_non_ascii_text_before_the_link_and_a_card(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    thumbnail = png()
    published = BlueskyNetwork().publish(
        client=NO_CLIENT,
        credentials=credentials,
        request=request(
            "Déjà lu ? Notre rapport 2026 🎉👩🏽‍💻 est en ligne",
            title="Rapport annuel",
            description="Tout ce qui a changé cette année",
            thumbnail=thumbnail,
            thumbnail_type="image/png",
        ),
    )
    rkey = record_key("share-1")
    assert published.post_id == f"at://{alice.did}/app.bsky.feed.post/{rkey}"
    assert published.url == f"https://bsky.app/profile/{alice.did}/post/{rkey}"

    record = alice.record(published.post_id)["value"]
    assert record["text"] == f"Déjà lu ? Notre rapport 2026 🎉👩🏽‍💻 est en ligne\n\n{LINK}"
    [facet] = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert start != record["text"].index(LINK)  # characters and bytes differ here
    assert record["text"].encode()[start:end].decode() == LINK
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]

    external = record["embed"]["external"]
    assert record["embed"]["$type"] == "app.bsky.embed.external"
    assert (external["uri"], external["title"], external["description"]) == (
        LINK,
        "Rapport annuel",
        "Tout ce qui a changé cette année",
    )
    thumb = external["thumb"]
    assert (thumb["mimeType"], thumb["size"]) == ("image/png", len(thumbnail))
    stored = bsky.blob(alice.did, thumb["ref"]["$link"])
    assert stored == thumbnail


def test_a_retry_with_the_same_idempotency_key_posts_once(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    first = network.publish(client=NO_CLIENT, credentials=credentials, request=request("Once"))
    again = network.publish(client=NO_CLIENT, credentials=credentials, request=request("Once"))
    assert again == first
    assert len(alice.records("app.bsky.feed.post")) == 1
    other = network.publish(
        client=NO_CLIENT, credentials=credentials, request=request("Once", key="share-2")
    )
    assert other.post_id != first.post_id
    assert len(alice.records("app.bsky.feed.post")) == 2


def test_two_attempts_that_cross_post_once(bsky):
    """A worker retrying while the first attempt is still under way: whichever writes second
    meets the record key already used and reads the post back."""
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    with ThreadPoolExecutor(max_workers=2) as pool:
        attempts = [
            pool.submit(
                network.publish,
                client=NO_CLIENT,
                credentials=credentials,
                request=request("Crossed", key="crossed"),
            )
            for _ in range(2)
        ]
        results = [attempt.result(timeout=60) for attempt in attempts]
    assert results[0] == results[1]
    assert len(alice.records("app.bsky.feed.post")) == 1


def test_300_graphemes_are_accepted_and_301_refused_before_sending(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    room = 300 - 2 - len(LINK)  # the blank line, then the link in full
    network.publish(
        client=NO_CLIENT, credentials=credentials, request=request("🇫🇷" * room, key="fits")
    )
    with pytest.raises(Refused) as refused:
        network.publish(
            client=NO_CLIENT,
            credentials=credentials,
            request=request("🇫🇷" * (room + 1), key="too-long"),
        )
    assert "301" in refused.value.detail
    assert len(alice.records("app.bsky.feed.post")) == 1


def test_followers_are_read_from_the_appview(bsky):
    alice, bob, carol = bsky.account("alice"), bsky.account("bob"), bsky.account("carol")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    bob.follow(alice)
    carol.follow(alice)
    count = eventually(
        lambda: network.followers(client=NO_CLIENT, credentials=credentials), lambda n: n == 2
    )
    assert count == 2


def test_engagement_after_others_like_repost_and_reply(bsky):
    alice, bob, carol = bsky.account("alice"), bsky.account("bob"), bsky.account("carol")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    published = network.publish(client=NO_CLIENT, credentials=credentials, request=request("Lu ?"))
    cid = alice.record(published.post_id)["cid"]
    bob.like(published.post_id, cid)
    carol.like(published.post_id, cid)
    bob.repost(published.post_id, cid)
    carol.reply(published.post_id, cid, "Oui, très bien !")

    def read():
        return network.engagement(
            client=NO_CLIENT, credentials=credentials, post_id=published.post_id
        )

    engagement = eventually(
        read, lambda e: e is not None and (e.likes, e.reposts, e.replies) == (2, 1, 1)
    )
    assert engagement is not None
    assert (engagement.likes, engagement.reposts, engagement.replies) == (2, 1, 1)
    assert engagement.impressions is None  # Bluesky does not say


def test_engagement_of_a_post_the_appview_does_not_know_is_none(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    missing = f"at://{alice.did}/app.bsky.feed.post/{record_key('never-posted')}"
    assert (
        BlueskyNetwork().engagement(client=NO_CLIENT, credentials=credentials, post_id=missing)
        is None
    )


def test_a_revoked_session_cannot_publish(bsky):
    alice = bsky.account("alice")
    credentials = connect(bsky, alice)
    network = BlueskyNetwork()
    # Deleting the app password on Bluesky ends every session made with it.
    bsky.xrpc(
        "com.atproto.server.revokeAppPassword",
        token=alice.access_token,
        payload={"name": "Portevoix"},
    )
    with pytest.raises(ReconnectNeeded):
        network.refresh(client=NO_CLIENT, credentials=credentials)
