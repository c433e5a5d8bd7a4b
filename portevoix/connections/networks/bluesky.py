"""Bluesky through the AT Protocol over plain XRPC (HTTP and JSON).

Connecting: the handle is resolved to a DID (`com.atproto.identity.resolveHandle`), the DID to
its document (the PLC directory for `did:plc`, `/.well-known/did.json` for `did:web`), the
document names the person's PDS; the person signs in there with an app password, which Bluesky
documents for third-party clients (`com.atproto.server.createSession`). AT Protocol OAuth (PAR
and DPoP) is not implemented: `authorization_url` and `exchange_code` say so.

Publishing: one `app.bsky.feed.post` record with a link facet (UTF-8 **byte** offsets) and an
`app.bsky.embed.external` card whose thumbnail is uploaded first as a blob. The record key is
derived from the publication's idempotency key, so a retry after a lost answer finds the post
already there instead of posting twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

from portevoix.accounts.models import Network
from portevoix.connections.networks.base import (
    Client,
    Credentials,
    Engagement,
    Published,
    PublishRequest,
    ReconnectNeeded,
    Refused,
    TransientError,
)
from portevoix.connections.networks.http import deadline, send, wait_asked
from portevoix.core.fetch import FetchResult
from portevoix.sharing.limits import length_problem
from portevoix.sharing.targets.bluesky import Bluesky as BlueskyShareTarget

PLC_DIRECTORY = "https://plc.directory"
# Resolves any handle of the network (DNS or HTTPS verified by the AppView).
HANDLE_RESOLVER = "https://public.api.bsky.app"
POST_COLLECTION = "app.bsky.feed.post"
ANSWER_MAX_BYTES = 2 * 1024 * 1024
THUMBNAIL_MAX_BYTES = 1_000_000  # app.bsky.embed.external's `thumb` maxSize
# https://atproto.com/specs/handle: dot-separated labels, the last not starting with a digit.
HANDLE_PATTERN = re.compile(
    r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
)
DID_PATTERN = re.compile(r"^did:(plc|web):[a-zA-Z0-9._:%-]+$")
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs are written


class BlueskyNetwork:
    network: Network = Network.BLUESKY
    scopes: tuple[str, ...] = ()  # an app password is not scoped

    def __init__(self, *, timeout: float | None = None) -> None:
        self._timeout = timeout

    @property
    def timeout(self) -> float:
        return deadline(self._timeout)

    # --- connecting ----------------------------------------------------------------------------

    def authorization_url(
        self, *, client: Client, redirect_uri: str, state: str, code_challenge: str
    ) -> str:
        raise Refused(
            _("Bluesky connects with an app password, not through an authorisation page.")
        )

    def exchange_code(
        self, *, client: Client, redirect_uri: str, code: str, code_verifier: str
    ) -> Credentials:
        raise Refused(
            _("Bluesky connects with an app password, not through an authorisation page.")
        )

    def connect_with_password(
        self,
        handle: str,
        app_password: str,
        *,
        directory: str = PLC_DIRECTORY,
        resolver: str = HANDLE_RESOLVER,
    ) -> Credentials:
        """Sign in at the person's own PDS with an app password (Settings → Privacy and
        security → App passwords on Bluesky). `directory` is the PLC directory, `resolver` a
        server that resolves handles (the PDS itself will do for its own accounts)."""
        handle = handle.strip().removeprefix("@").lower()
        if DID_PATTERN.match(handle):
            did, handle = handle, ""  # a DID needs no resolving, and has no handle to confirm
        elif HANDLE_PATTERN.match(handle):
            did = self.resolve_handle(handle, resolver=resolver)
        else:
            raise Refused(
                _("“%(handle)s” is not a Bluesky handle (for example name.bsky.social).")
                % {"handle": handle[:100]}
            )
        pds = self.pds_of(did, directory=directory, handle=handle)
        result = send(
            xrpc_url(pds, "com.atproto.server.createSession"),
            method="POST",
            json_body={"identifier": did, "password": app_password.strip()},
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status == 401:
            raise ReconnectNeeded(
                _(
                    "Bluesky refused this handle and app password: check the app password "
                    "(Settings → Privacy and security → App passwords)."
                )
            )
        session = _raise_or_json(result)
        return _session_credentials(session, did=did, pds=pds)

    def resolve_handle(self, handle: str, *, resolver: str = HANDLE_RESOLVER) -> str:
        result = send(
            xrpc_url(resolver, "com.atproto.identity.resolveHandle", {"handle": handle}),
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status == 400:
            raise Refused(_("No Bluesky account has the handle %(handle)s.") % {"handle": handle})
        did = _raise_or_json(result).get("did", "")
        if not isinstance(did, str) or not DID_PATTERN.match(did):
            raise Refused(_("No Bluesky account has the handle %(handle)s.") % {"handle": handle})
        return did

    def pds_of(self, did: str, *, directory: str = PLC_DIRECTORY, handle: str = "") -> str:
        """The PDS named by the DID document; when a handle is given, the document must claim it
        back (the handle→DID→handle check the protocol asks of clients)."""
        if did.startswith("did:plc:"):
            url = f"{directory.rstrip('/')}/{quote(did, safe=':')}"
        else:
            host = did.removeprefix("did:web:").replace("%3A", ":")
            url = f"https://{host}/.well-known/did.json"
        result = send(url, timeout=self.timeout, max_bytes=ANSWER_MAX_BYTES)
        if result.status == 404:
            raise Refused(_("The Bluesky account %(did)s was not found.") % {"did": did})
        document = _raise_or_json(result)
        if handle and f"at://{handle}" not in [
            str(name).lower() for name in document.get("alsoKnownAs", [])
        ]:
            raise Refused(
                _("The Bluesky account does not confirm the handle %(handle)s.")
                % {"handle": handle}
            )
        for service in document.get("service", []):
            if (
                isinstance(service, dict)
                and str(service.get("id", "")).endswith("#atproto_pds")
                and service.get("type") == "AtprotoPersonalDataServer"
            ):
                return str(service["serviceEndpoint"]).rstrip("/")
        raise Refused(_("The Bluesky account %(did)s names no server.") % {"did": did})

    def refresh(self, *, client: Client, credentials: Credentials) -> Credentials:
        result = send(
            xrpc_url(credentials.server, "com.atproto.server.refreshSession"),
            method="POST",
            token=credentials.refresh_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status in (400, 401):  # ExpiredToken, InvalidToken: the session is over
            raise ReconnectNeeded(_("The Bluesky session has ended: connect Bluesky again."))
        session = _raise_or_json(result)
        return _session_credentials(session, did=credentials.account_id, pds=credentials.server)

    def revoke(self, *, client: Client, credentials: Credentials) -> None:
        """End the session. The app password itself stays until the person deletes it on
        Bluesky (the connection's page says so)."""
        result = send(
            xrpc_url(credentials.server, "com.atproto.server.deleteSession"),
            method="POST",
            token=credentials.refresh_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status in (400, 401):
            return  # already ended
        _raise_or_json(result, empty_ok=True)

    # --- acting for the person -----------------------------------------------------------------

    def publish(
        self, *, client: Client, credentials: Credentials, request: PublishRequest
    ) -> Published:
        text = posted_text(request)
        problem = length_problem(network=Network.BLUESKY, posted_text=text)
        if problem:
            raise Refused(problem)
        rkey = record_key(request.idempotency_key)
        existing = self._existing_post(credentials, rkey)
        if existing is not None:
            return existing  # an earlier attempt went through; its answer was lost
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "facets": link_facets(text, request.link.url),
            "embed": self._card(credentials, request),
        }
        result = send(
            xrpc_url(credentials.server, "com.atproto.repo.createRecord"),
            method="POST",
            token=credentials.access_token,
            json_body={
                "repo": credentials.account_id,
                "collection": POST_COLLECTION,
                "rkey": rkey,
                "record": record,
            },
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status >= 400 and result.status not in (401, 403, 429):
            # The PDS refuses a record key already used (an internal error on some versions):
            # when another attempt of this publication wrote it, that is our post.
            existing = self._existing_post(credentials, rkey)
            if existing is not None:
                return existing
        answer = _raise_or_json(result)
        return Published(post_id=str(answer["uri"]), url=post_url(credentials, rkey))

    def followers(self, *, client: Client, credentials: Credentials) -> int | None:
        result = send(
            xrpc_url(
                credentials.server, "app.bsky.actor.getProfile", {"actor": credentials.account_id}
            ),
            token=credentials.access_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status == 400 and b"Profile not found" in result.body:
            # The AppView has not indexed a new account yet: no figure rather than an error.
            return None
        count = _raise_or_json(result).get("followersCount")
        return int(count) if isinstance(count, int) else None

    def engagement(
        self, *, client: Client, credentials: Credentials, post_id: str
    ) -> Engagement | None:
        result = send(
            xrpc_url(credentials.server, "app.bsky.feed.getPosts", {"uris": post_id}),
            token=credentials.access_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        posts = _raise_or_json(result).get("posts", [])
        if not posts:
            return None  # not indexed by the AppView yet (or deleted): ask again later
        post = posts[0]
        reposts = [post.get(k) for k in ("repostCount", "quoteCount")]
        return Engagement(
            likes=post.get("likeCount"),
            reposts=sum(r for r in reposts if isinstance(r, int)),
            replies=post.get("replyCount"),
        )

    # --- details -------------------------------------------------------------------------------

    def _existing_post(self, credentials: Credentials, rkey: str) -> Published | None:
        result = send(
            xrpc_url(
                credentials.server,
                "com.atproto.repo.getRecord",
                {"repo": credentials.account_id, "collection": POST_COLLECTION, "rkey": rkey},
            ),
            token=credentials.access_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status == 400 and _xrpc_error(result)[0] == "RecordNotFound":
            return None
        answer = _raise_or_json(result)
        return Published(post_id=str(answer["uri"]), url=post_url(credentials, rkey))

    def _card(self, credentials: Credentials, request: PublishRequest) -> dict[str, Any]:
        link = request.link
        external: dict[str, Any] = {
            "uri": link.url,
            "title": link.title,
            "description": link.description,
        }
        if link.thumbnail and link.thumbnail_type and len(link.thumbnail) <= THUMBNAIL_MAX_BYTES:
            result = send(
                xrpc_url(credentials.server, "com.atproto.repo.uploadBlob"),
                method="POST",
                token=credentials.access_token,
                raw_body=(link.thumbnail, link.thumbnail_type),
                timeout=self.timeout,
                max_bytes=ANSWER_MAX_BYTES,
            )
            external["thumb"] = _raise_or_json(result)["blob"]
        return {"$type": "app.bsky.embed.external", "external": external}


def xrpc_url(server: str, nsid: str, query: dict[str, str] | None = None) -> str:
    """An XRPC method's address on a server (a PDS, the handle resolver)."""
    if not server:
        raise ReconnectNeeded(_("The Bluesky connection names no server: connect again."))
    url = f"{server.rstrip('/')}/xrpc/{nsid}"
    return f"{url}?{urlencode(query)}" if query else url


def posted_text(request: PublishRequest) -> str:
    """The post: the person's text, then the link on its own line, as Bluesky's compose page
    would receive it, unless the person already placed the link in their text."""
    if request.link.url and request.link.url in request.text:
        return request.text.strip()
    return BlueskyShareTarget().posted_text(request.text, request.link.url)


def link_facets(text: str, url: str) -> list[dict[str, Any]]:
    """The link as a rich-text facet. Bluesky counts facet positions in UTF-8 bytes, not in
    characters: an é or an emoji before the link moves it by 2 or 4."""
    start = text.find(url) if url else -1
    if start < 0:
        return []
    byte_start = len(text[:start].encode())
    return [
        {
            "index": {"byteStart": byte_start, "byteEnd": byte_start + len(url.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
        }
    ]


def record_key(idempotency_key: str) -> str:
    """A TID-shaped record key (13 base32-sortable characters, the first bit zero) derived from
    the idempotency key: the same publication always writes the same record."""
    number = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big") >> 1
    characters = []
    for _position in range(13):
        characters.append(TID_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(characters))


def post_url(credentials: Credentials, rkey: str) -> str:
    # The DID rather than the handle: a handle can change, the DID cannot.
    return f"https://bsky.app/profile/{credentials.account_id}/post/{rkey}"


def _session_credentials(session: dict[str, Any], *, did: str, pds: str) -> Credentials:
    if session.get("did") != did or not session.get("accessJwt"):
        raise TransientError(_("Bluesky's answer did not describe the expected account."))
    return Credentials(
        access_token=str(session["accessJwt"]),
        refresh_token=str(session.get("refreshJwt", "")),
        expires_at=_jwt_expiry(str(session["accessJwt"])),
        account_id=did,
        handle=str(session.get("handle", "")),
        server=pds,
    )


def _jwt_expiry(jwt: str) -> datetime | None:
    """When the access token expires, read from its `exp` claim (not verified: the PDS checks
    its own tokens; this only tells the worker when to refresh)."""
    try:
        claims = json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "=="))
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def _xrpc_error(result: FetchResult) -> tuple[str, str]:
    """XRPC errors are `{"error": name, "message": text}`."""
    try:
        data = json.loads(result.body)
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("error", "")), str(data.get("message", ""))[:200]


def _raise_or_json(result: FetchResult, *, empty_ok: bool = False) -> dict[str, Any]:
    status = result.status
    if 200 <= status < 300:
        if empty_ok and not result.body.strip():
            return {}
        try:
            data = json.loads(result.body)
        except ValueError:
            raise TransientError(_("Bluesky answered something that is not JSON.")) from None
        if not isinstance(data, dict):
            raise TransientError(_("Bluesky answered something that is not a JSON object."))
        return data
    name, message = _xrpc_error(result)
    detail = message or name or f"HTTP {status}"
    if status == 429:
        raise TransientError(
            _("Bluesky asks to wait before trying again (rate limit)."),
            retry_after=wait_asked(result, reset_header="ratelimit-reset"),
        )
    if status >= 500:
        raise TransientError(_("Bluesky is unavailable for now (%(detail)s).") % {"detail": detail})
    if status in (401, 403) or name in ("ExpiredToken", "InvalidToken", "AccountTakedown"):
        raise ReconnectNeeded(
            _("Bluesky refuses this connection (%(detail)s): connect Bluesky again.")
            % {"detail": detail}
        )
    raise Refused(_("Bluesky refused the request: %(detail)s") % {"detail": detail})
