"""What every connected network does for us, whatever its protocol: the types each network
module (`linkedin.py`, `x.py`, `mastodon.py`, `bluesky.py`) takes and returns, and the two kinds of
failure the worker tells apart (try again later, or ask the person to reconnect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from portevoix.accounts.models import Network


@dataclass(frozen=True)
class Credentials:
    """What a connection holds to act for its person. Kept sealed at rest (core/secrets.py);
    never logged, never shown, never exported."""

    access_token: str
    account_id: (
        str  # the network's stable id: LinkedIn member URN, X user id, Mastodon account id, DID
    )
    handle: str  # what the person recognises: @name@instance, handle.bsky.social, their name
    refresh_token: str = ""
    expires_at: datetime | None = None
    # Where the account lives when the network is federated: the Mastodon instance's base URL,
    # the Bluesky PDS's base URL.
    server: str = ""


@dataclass(frozen=True)
class LinkCard:
    """The tracked link and how its preview reads, where a network shows a card."""

    url: str
    title: str = ""
    description: str = ""
    thumbnail: bytes | None = None  # image bytes, already checked by the content app
    thumbnail_type: str = ""  # its MIME type, e.g. "image/jpeg"


@dataclass(frozen=True)
class Published:
    """A post the network accepted."""

    post_id: str  # the network's id (URN, tweet id, status id, at:// URI)
    url: str  # where a person can see it


@dataclass(frozen=True)
class Engagement:
    """What the network says people did with a published post; None where it does not say."""

    likes: int | None = None
    reposts: int | None = None
    replies: int | None = None
    impressions: int | None = None


class NetworkError(Exception):
    """A call to a network failed; `detail` is safe to show and to log (never a token)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class TransientError(NetworkError):
    """Worth trying again: a time-out, a 5xx, a 429 (with the wait the network asked for)."""

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ReconnectNeeded(NetworkError):
    """The network refuses these credentials for good (revoked, expired beyond refresh, 401/403):
    never retried; the person is asked to reconnect."""


class Refused(NetworkError):
    """The network refuses this post for good (too long, duplicate, invalid): not retried, and
    the person keeps their connection."""


@dataclass(frozen=True)
class PublishRequest:
    """One publication: the person's text (compliance and length already checked) and the link.
    `idempotency_key` is the same on every attempt of the same publication."""

    text: str
    link: LinkCard
    idempotency_key: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Client:
    """How we are known to a network: the app the admin registered (LinkedIn, X), or the app
    registered on a person's Mastodon instance. `api_base` and `auth_base` are the network's
    documented addresses in production and a local server's in the tests."""

    client_id: str
    client_secret: str
    api_base: str
    auth_base: str = ""


class ConnectedNetwork(Protocol):
    """What each network module provides (one instance per network in `registry.py`).

    OAuth networks implement the first four; Bluesky, where app passwords are the documented route
    for third-party clients, provides `connect_with_password` instead of the authorisation step.
    Every call goes through `core/fetch.py` (its address guard and time-outs) and raises
    `TransientError`, `ReconnectNeeded` or `Refused`, never a raw HTTP error."""

    network: Network
    scopes: tuple[str, ...]

    def authorization_url(
        self, *, client: Client, redirect_uri: str, state: str, code_challenge: str
    ) -> str: ...

    def exchange_code(
        self, *, client: Client, redirect_uri: str, code: str, code_verifier: str
    ) -> Credentials: ...

    def refresh(self, *, client: Client, credentials: Credentials) -> Credentials: ...

    def revoke(self, *, client: Client, credentials: Credentials) -> None: ...

    def publish(
        self, *, client: Client, credentials: Credentials, request: PublishRequest
    ) -> Published: ...

    def followers(self, *, client: Client, credentials: Credentials) -> int | None: ...

    def engagement(
        self, *, client: Client, credentials: Credentials, post_id: str
    ) -> Engagement | None: ...
