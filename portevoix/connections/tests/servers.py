"""Local servers speaking the networks' documented protocols, started by the tests on
127.0.0.1 (a thread each). What they keep (apps, codes, tokens, posts) is open to the tests, and
`failures` scripts what the next publishing calls answer (a 500, a 429 with Retry-After, a
silence longer than the client's time-out).

- `MastodonServer` follows docs.joinmastodon.org for Mastodon 4.3: `POST /api/v1/apps`,
  `GET|POST /oauth/authorize` (the consent page; PKCE S256), `POST /oauth/token`
  (authorization_code, refresh_token), `POST /oauth/revoke`,
  `GET /api/v1/accounts/verify_credentials`, `POST /api/v1/statuses` (Idempotency-Key kept an
  hour, unless `honour_idempotency` is off), `GET /api/v1/statuses/:id`.
- `LinkedInServer` follows Microsoft Learn's LinkedIn pages (version 202411): Authorization
  Code Flow (`/oauth/v2/authorization`, `/oauth/v2/accessToken`, 60-day tokens, refresh tokens
  for partners), Token Revocation (`/oauth/v2/revoke`), Sign In with LinkedIn using OpenID
  Connect (`GET /v2/userinfo`), and the Posts API (`POST /rest/posts`, which requires the
  `LinkedIn-Version` and `X-Restli-Protocol-Version` headers and answers 201 with the URN in
  `x-restli-id`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class Failure:
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds of silence before answering


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-able, or str for HTML
    headers: dict[str, str] = field(default_factory=dict)


class LocalNetworkServer:
    """The HTTP plumbing; subclasses answer `handle(method, path, query, form, json, headers)`."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failures: list[Failure] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                form: dict[str, str] = {}
                body: Any = None
                if headers.get("content-type", "").startswith("application/json") and raw:
                    body = json.loads(raw)
                elif raw:
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                owner.requests.append((self.command, parts.path, headers))
                reply = owner.handle(self.command, parts.path, query, form, body, headers)
                if isinstance(reply, Failure):
                    time.sleep(reply.delay)
                    reply = Reply(reply.status, {"error": "failure"}, reply.headers)
                if isinstance(reply.body, str):
                    payload = reply.body.encode()
                    content_type = "text/html; charset=utf-8"
                else:
                    payload = json.dumps(reply.body).encode() if reply.body is not None else b""
                    content_type = "application/json"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its time-out): what the test checks

            do_GET = _answer
            do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> LocalNetworkServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_failure(self) -> Failure | None:
        with self.lock:
            return self.failures.pop(0) if self.failures else None

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        form: dict[str, str],
        body: Any,
        headers: dict[str, str],
    ) -> Reply | Failure:
        raise NotImplementedError


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def bearer(headers: dict[str, str]) -> str:
    value = headers.get("authorization", "")
    return value[7:] if value.startswith("Bearer ") else ""


def consent_page(action: str, fields: dict[str, str], title: str) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><main>'
        f"<h1>{title}</h1><form method=post action={action}>{hidden}"
        '<button type="submit">Authorize</button></form></main></body></html>'
    )


class MastodonServer(LocalNetworkServer):
    def __init__(self, *, followers: int = 321, account: str = "alice") -> None:
        super().__init__()
        self.apps: dict[str, dict[str, str]] = {}  # client_id → app
        self.codes: dict[str, dict[str, str]] = {}  # code → grant (used once)
        self.tokens: dict[str, str] = {}  # access token → client_id
        self.refresh_tokens: dict[str, str] = {}
        self.revoked: list[str] = []
        self.statuses: dict[str, dict[str, Any]] = {}
        self.idempotency: dict[tuple[str, str], str] = {}
        self.honour_idempotency = True
        self.issue_refresh_tokens = False
        self.followers = followers
        self.account = account
        self.engagement = {"favourites_count": 4, "reblogs_count": 2, "replies_count": 1}

    def handle(self, method, path, query, form, body, headers):
        if method == "POST" and path == "/api/v1/apps":
            client_id, secret = secrets.token_urlsafe(16), secrets.token_urlsafe(24)
            self.apps[client_id] = {
                "client_secret": secret,
                "redirect_uri": form.get("redirect_uris", ""),
                "scopes": form.get("scopes", "read"),
                "name": form.get("client_name", ""),
            }
            return Reply(
                200,
                {
                    "id": str(len(self.apps)),
                    "name": form.get("client_name"),
                    "website": form.get("website"),
                    "redirect_uri": form.get("redirect_uris"),
                    "client_id": client_id,
                    "client_secret": secret,
                },
            )
        if path == "/oauth/authorize":
            return self._authorize(method, query, form)
        if method == "POST" and path == "/oauth/token":
            return self._token(form)
        if method == "POST" and path == "/oauth/revoke":
            app = self.apps.get(form.get("client_id", ""))
            if app is None or app["client_secret"] != form.get("client_secret"):
                return Reply(403, {"error": "unauthorized_client"})
            token = form.get("token", "")
            if self.tokens.pop(token, None) is not None:
                self.revoked.append(token)
            return Reply(200, {})
        token = bearer(headers)
        if token not in self.tokens:
            return Reply(401, {"error": "The access token is invalid"})
        if method == "GET" and path == "/api/v1/accounts/verify_credentials":
            return Reply(
                200,
                {
                    "id": "109",
                    "username": self.account,
                    "acct": self.account,
                    "followers_count": self.followers,
                    "url": f"{self.base_url}/@{self.account}",
                },
            )
        if method == "POST" and path == "/api/v1/statuses":
            if failure := self.next_failure():
                return failure
            key = headers.get("idempotency-key", "")
            if self.honour_idempotency and key and (token, key) in self.idempotency:
                return Reply(200, self.statuses[self.idempotency[(token, key)]])
            if not form.get("status"):
                return Reply(422, {"error": "Validation failed: Text can't be blank"})
            status_id = str(100000 + len(self.statuses) + 1)
            status = {
                "id": status_id,
                "content": form["status"],
                "visibility": form.get("visibility", "public"),
                "url": f"{self.base_url}/@{self.account}/{status_id}",
                "uri": f"{self.base_url}/users/{self.account}/statuses/{status_id}",
                "favourites_count": 0,
                "reblogs_count": 0,
                "replies_count": 0,
            }
            self.statuses[status_id] = status
            if key:
                self.idempotency[(token, key)] = status_id
            return Reply(200, status)
        if method == "GET" and path.startswith("/api/v1/statuses/"):
            status = self.statuses.get(path.rsplit("/", 1)[-1])
            if status is None:
                return Reply(404, {"error": "Record not found"})
            return Reply(200, {**status, **self.engagement})
        return Reply(404, {"error": "Not found"})

    def _authorize(self, method: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        """GET shows the consent page; POST (the person's "Authorize") redirects back with a
        code, as Mastodon's own page does."""
        params = query if method == "GET" else form
        app = self.apps.get(params.get("client_id", ""))
        if app is None or params.get("redirect_uri") != app["redirect_uri"]:
            return Reply(400, "<p>The redirect URI included is not valid.</p>")
        if params.get("response_type") != "code":
            return Reply(400, "<p>unsupported_response_type</p>")
        if method == "GET":
            return Reply(200, consent_page("/oauth/authorize", params, "Authorization required"))
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**params}
        back = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params.get('state', '')})}"
        return Reply(302, None, {"Location": back})

    def grant(
        self, *, client_id: str, redirect_uri: str, state: str = "", code_challenge: str = ""
    ) -> str:
        """The code a person's "Authorize" gives (for tests without a browser)."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        return code

    def _token(self, form: dict[str, str]) -> Reply:
        app = self.apps.get(form.get("client_id", ""))
        if app is None or app["client_secret"] != form.get("client_secret"):
            return Reply(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        if form.get("grant_type") == "refresh_token":
            if self.refresh_tokens.pop(form.get("refresh_token", ""), None) is None:
                return Reply(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "The provided authorization grant is invalid",
                    },
                )
            return Reply(200, self._issue(form["client_id"]))
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        invalid = Reply(
            400,
            {
                "error": "invalid_grant",
                "error_description": "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
            },
        )
        if (
            grant is None
            or grant["client_id"] != form["client_id"]
            or grant["redirect_uri"] != form.get("redirect_uri")
        ):
            return invalid
        if (
            grant.get("code_challenge")
            and s256(form.get("code_verifier", "")) != grant["code_challenge"]
        ):
            return invalid
        return Reply(200, self._issue(form["client_id"]))

    def _issue(self, client_id: str) -> dict[str, Any]:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = client_id
        answer: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "scope": "read:accounts read:statuses write:statuses",
            "created_at": int(time.time()),
        }
        if self.issue_refresh_tokens:
            refresh = secrets.token_urlsafe(32)
            self.refresh_tokens[refresh] = client_id
            answer["refresh_token"] = refresh
        return answer


class LinkedInServer(LocalNetworkServer):
    """Both of LinkedIn's hosts at once (www for OAuth, api for the API)."""

    def __init__(self, *, client_id: str = "li-client", client_secret: str = "li-secret") -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.codes: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, float] = {}  # token → expires (Unix time)
        self.refresh_tokens: set[str] = set()
        self.revoked: list[str] = []
        self.posts: list[dict[str, Any]] = []
        self.expires_in = 5184000  # 60 days
        self.partner_refresh = True  # programmatic refresh tokens (partners only)
        self.member = {
            "sub": "782bbtaQ",
            "name": "Alice Martin",
            "given_name": "Alice",
            "family_name": "Martin",
            "locale": {"country": "FR", "language": "fr"},
        }

    def grant(self, *, redirect_uri: str, state: str = "") -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"redirect_uri": redirect_uri, "state": state}
        return code

    def expire_all(self) -> None:
        for token in self.tokens:
            self.tokens[token] = time.time() - 1

    def handle(self, method, path, query, form, body, headers):
        if path == "/oauth/v2/authorization":
            if query.get("client_id") != self.client_id or query.get("response_type") != "code":
                return Reply(400, "<p>invalid_request</p>")
            code = self.grant(
                redirect_uri=query.get("redirect_uri", ""), state=query.get("state", "")
            )
            back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
            return Reply(302, None, {"Location": back})
        if method == "POST" and path == "/oauth/v2/accessToken":
            if (
                form.get("client_id") != self.client_id
                or form.get("client_secret") != self.client_secret
            ):
                return Reply(
                    401,
                    {
                        "error": "invalid_client",
                        "error_description": "Client authentication failed",
                    },
                )
            if form.get("grant_type") == "refresh_token":
                if form.get("refresh_token") not in self.refresh_tokens:
                    return Reply(
                        400,
                        {
                            "error": "invalid_request",
                            "error_description": "The provided refresh token is invalid",
                        },
                    )
                return Reply(200, self._issue())
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return Reply(
                    400,
                    {
                        "error": "invalid_request",
                        "error_description": "Unable to retrieve access token: authorization code not found",
                    },
                )
            return Reply(200, self._issue())
        if method == "POST" and path == "/oauth/v2/revoke":
            if (
                form.get("client_id") != self.client_id
                or form.get("client_secret") != self.client_secret
            ):
                return Reply(401, {"error": "invalid_client"})
            token = form.get("token", "")
            if self.tokens.pop(token, None) is not None:
                self.revoked.append(token)
            return Reply(200, None)
        token = bearer(headers)
        if self.tokens.get(token, 0) < time.time():
            return Reply(
                401, {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401}
            )
        if method == "GET" and path == "/v2/userinfo":
            return Reply(200, {**self.member, "email_verified": True})
        if method == "POST" and path == "/rest/posts":
            if (
                not headers.get("linkedin-version")
                or headers.get("x-restli-protocol-version") != "2.0.0"
            ):
                return Reply(426, {"message": "A version header is required", "status": 426})
            if failure := self.next_failure():
                return failure
            if (
                not isinstance(body, dict)
                or body.get("author") != f"urn:li:person:{self.member['sub']}"
            ):
                return Reply(
                    403, {"message": "Not enough permissions to create the post", "status": 403}
                )
            if len(body.get("commentary", "")) > 3000:
                return Reply(422, {"message": "commentary is too long", "status": 422})
            urn = f"urn:li:share:{7100000000000000000 + len(self.posts) + 1}"
            self.posts.append({**body, "id": urn})
            return Reply(201, None, {"x-restli-id": urn})
        return Reply(404, {"message": "Not found", "status": 404})

    def _issue(self) -> dict[str, Any]:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = time.time() + self.expires_in
        answer: dict[str, Any] = {
            "access_token": token,
            "expires_in": self.expires_in,
            "scope": "openid,profile,w_member_social",
            "token_type": "Bearer",
        }
        if self.partner_refresh:
            refresh = secrets.token_urlsafe(32)
            self.refresh_tokens.add(refresh)
            answer["refresh_token"] = refresh
            answer["refresh_token_expires_in"] = 31536000
        return answer
