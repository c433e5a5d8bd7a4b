"""What every connected network does for us, whatever its protocol: the types each network
module (`linkedin.py`, `x.py`, `mastodon.py`, `bluesky.py`) takes and returns, and the two kinds of
failure the worker tells apart (try again later, or ask the person to reconnect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
