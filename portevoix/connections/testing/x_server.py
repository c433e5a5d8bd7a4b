"""A local X API v2 server for the tests, on 127.0.0.1 and a free port, following X's published
reference for the endpoints Portevoix calls:

- `GET /i/oauth2/authorize`: the consent screen, answered at once for `consenting_user` with a
  302 to the redirect URI carrying `code` and `state`;
- `POST /2/oauth2/token`: `authorization_code` (client authentication by HTTP Basic for a
  confidential client, `client_id` alone for a public one; PKCE S256 checked; codes single use
  and short-lived; `redirect_uri` must match) and `refresh_token` (rotated: the refresh token
  used is spent);
- `POST /2/oauth2/revoke`;
- `GET /2/users/me?user.fields=public_metrics`, `POST /2/tweets`,
  `GET /2/tweets/:id?tweet.fields=public_metrics`;
- errors as X writes them: OAuth errors `{"error", "error_description"}`, API problems
  `{"title", "detail", "type", "status"}`, 429 with `x-rate-limit-reset` and `Retry-After`.

Switches for failures: `fail_next` (a status answered once by the next API call, e.g. 500 or
429), `silent` (accept connections and never answer), `plan_reads_tweets` (False: reading a
tweet is refused as on the free plan), `access_lifetime` (seconds an access token lives), `retry_after_header`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class XUser:
    id: str
    username: str
    followers: int = 0


@dataclass
class Tweet:
    id: str
    author_id: str
    text: str
    likes: int = 0
    retweets: int = 0
    quotes: int = 0
    replies: int = 0
    impressions: int = 0


@dataclass
class Grant:
    user_id: str
    client_id: str
    scopes: list[str]
    expires_at: float


@dataclass
class XServerState:
    client_id: str
    client_secret: str
    redirect_uri: str
    consenting_user: XUser
    users: dict[str, XUser] = field(default_factory=dict)
    tweets: list[Tweet] = field(default_factory=list)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, Grant] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    access_lifetime: float = 7200.0
    fail_next: list[int] = field(default_factory=list)
    silent: bool = False
    plan_reads_tweets: bool = True
    # X's own 429 carries only `x-rate-limit-reset`; a proxy in front may add `Retry-After`.
    retry_after_header: bool = True
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}


class _Handler(BaseHTTPRequestHandler):
    server: _XHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: the tests read the state, not the access log.
        pass

    @property
    def state(self) -> XServerState:
        return self.server.state

    # --- plumbing ------------------------------------------------------------------------------

    def _answer(self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _stall_or_fail(self) -> bool:
        """True when a switch already answered (or never will)."""
        if self.state.silent:
            self._body()
            time.sleep(30)  # longer than any client's time-out; the socket then closes
            return True
        with self.state.lock:
            status = self.state.fail_next.pop(0) if self.state.fail_next else None
        if status is None:
            return False
        self._body()
        if status == 429:
            headers = {
                "x-rate-limit-reset": str(int(time.time()) + 900),
                "x-rate-limit-remaining": "0",
            }
            if self.state.retry_after_header:
                headers["Retry-After"] = "42"
            self._answer(429, _problem(429, "Too Many Requests", "Too Many Requests"), headers)
        else:
            self._answer(status, _problem(status, "Service Unavailable", "Internal error"))
        return True

    def _grant(self) -> Grant | None:
        """The grant behind the bearer token, or None after answering 401 as X does."""
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else ""
        with self.state.lock:
            grant = self.state.access_tokens.get(token)
        if grant is None or grant.expires_at < time.time():
            self._answer(401, _problem(401, "Unauthorized", "Unauthorized"))
            return None
        return grant

    # --- routes --------------------------------------------------------------------------------

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.state.requests.append(f"GET {parts.path}")
        if parts.path == "/i/oauth2/authorize":
            return self._authorize(query)
        if self._stall_or_fail():
            return
        if parts.path == "/2/users/me":
            return self._me(query)
        if parts.path.startswith("/2/tweets/"):
            return self._tweet(parts.path.removeprefix("/2/tweets/"), query)
        self._answer(404, _problem(404, "Not Found Error", "Not found"))

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        self.state.requests.append(f"POST {path}")
        if self._stall_or_fail():
            return
        if path == "/2/oauth2/token":
            return self._token()
        if path == "/2/oauth2/revoke":
            return self._revoke()
        if path == "/2/tweets":
            return self._post_tweet()
        self._body()
        self._answer(404, _problem(404, "Not Found Error", "Not found"))

    def _authorize(self, query: dict[str, str]) -> None:
        state = self.state
        if query.get("client_id") != state.client_id:
            return self._answer(400, {"error": "invalid_request", "error_description": "client"})
        if query.get("redirect_uri") != state.redirect_uri:
            return self._answer(400, {"error": "invalid_request", "error_description": "redirect"})
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return self._answer(400, {"error": "invalid_request", "error_description": "pkce"})
        if not query.get("code_challenge") or not query.get("state"):
            return self._answer(400, {"error": "invalid_request", "error_description": "missing"})
        code = secrets.token_urlsafe(24)
        with state.lock:
            state.codes[code] = {
                "user_id": state.consenting_user.id,
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "scopes": query.get("scope", "").split(),
                "expires_at": time.time() + 30,
            }
        target = f"{query['redirect_uri']}?{urlencode({'state': query['state'], 'code': code})}"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _client_ok(self, form: dict[str, str]) -> bool:
        """A confidential client authenticates with HTTP Basic; a public one (no secret) names
        itself with `client_id` in the form and relies on PKCE alone."""
        if not self.state.client_secret:
            return form.get("client_id") == self.state.client_id
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        expected = f"{self.state.client_id}:{self.state.client_secret}"
        return base64.b64decode(header[6:]).decode() == expected

    def _token(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        state = self.state
        if not self._client_ok(form):
            return self._answer(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        invalid = {
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        }
        with state.lock:
            if form.get("grant_type") == "authorization_code":
                code = state.codes.pop(form.get("code", ""), None)  # single use
                if code is None or code["expires_at"] < time.time():
                    return self._answer(400, invalid)
                verifier = form.get("code_verifier", "").encode()
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if (
                    challenge != code["challenge"]
                    or form.get("redirect_uri") != code["redirect_uri"]
                ):
                    return self._answer(400, invalid)
                grant = Grant(code["user_id"], state.client_id, code["scopes"], 0.0)
            elif form.get("grant_type") == "refresh_token":
                old = state.refresh_tokens.pop(form.get("refresh_token", ""), None)  # rotated
                if old is None:
                    return self._answer(400, invalid)
                grant = old
            else:
                return self._answer(400, {"error": "unsupported_grant_type"})
            access = secrets.token_urlsafe(32)
            state.access_tokens[access] = Grant(
                grant.user_id, grant.client_id, grant.scopes, time.time() + state.access_lifetime
            )
            answer = {
                "token_type": "bearer",
                "expires_in": int(state.access_lifetime),
                "access_token": access,
                "scope": " ".join(grant.scopes),
            }
            if "offline.access" in grant.scopes:
                refresh = secrets.token_urlsafe(32)
                state.refresh_tokens[refresh] = grant
                answer["refresh_token"] = refresh
        self._answer(200, answer)

    def _revoke(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        if not self._client_ok(form):
            return self._answer(401, {"error": "unauthorized_client"})
        token = form.get("token", "")
        with self.state.lock:
            grant = self.state.refresh_tokens.pop(token, None) or self.state.access_tokens.pop(
                token, None
            )
            if grant is not None:
                # Revoking a grant ends every token it gave.
                for tokens in (self.state.access_tokens, self.state.refresh_tokens):
                    for key in [k for k, g in tokens.items() if g.user_id == grant.user_id]:
                        del tokens[key]
        self._answer(200, {"revoked": True})

    def _me(self, query: dict[str, str]) -> None:
        grant = self._grant()
        if grant is None:
            return
        user = self.state.users[grant.user_id]
        data: dict[str, Any] = {
            "id": user.id,
            "name": user.username.title(),
            "username": user.username,
        }
        if "public_metrics" in query.get("user.fields", ""):
            data["public_metrics"] = {
                "followers_count": user.followers,
                "following_count": 3,
                "tweet_count": len(self.state.tweets),
                "listed_count": 0,
            }
        self._answer(200, {"data": data})

    def _post_tweet(self) -> None:
        try:
            payload = json.loads(self._body())
        except ValueError:
            return self._answer(400, _problem(400, "Invalid Request", "Invalid JSON"))
        grant = self._grant()
        if grant is None:
            return
        if "tweet.write" not in grant.scopes:
            return self._answer(403, _problem(403, "Forbidden", "Missing scope tweet.write"))
        text = payload.get("text")
        if not isinstance(text, str) or not text:
            return self._answer(
                400,
                {
                    "errors": [{"message": "text is required"}],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                },
            )
        with self.state.lock:
            if any(t.text == text and t.author_id == grant.user_id for t in self.state.tweets):
                return self._answer(
                    403,
                    _problem(
                        403,
                        "Forbidden",
                        "You are not allowed to create a Tweet with duplicate content.",
                    ),
                )
            tweet = Tweet(
                id=str(1_800_000_000_000_000_000 + len(self.state.tweets)),
                author_id=grant.user_id,
                text=text,
            )
            self.state.tweets.append(tweet)
        self._answer(
            201, {"data": {"id": tweet.id, "text": text, "edit_history_tweet_ids": [tweet.id]}}
        )

    def _tweet(self, tweet_id: str, query: dict[str, str]) -> None:
        grant = self._grant()
        if grant is None:
            return
        if not self.state.plan_reads_tweets:
            return self._answer(
                403,
                {
                    "client_id": self.state.client_id,
                    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.",
                    "registration_url": "https://developer.x.com/en/portal/opt-in",
                    "title": "Client Forbidden",
                    "required_enrollment": "Appropriate Level of API Access",
                    "reason": "client-not-enrolled",
                    "type": "https://api.twitter.com/2/problems/client-forbidden",
                },
            )
        tweet = next((t for t in self.state.tweets if t.id == tweet_id), None)
        if tweet is None:
            return self._answer(
                200,
                {
                    "errors": [
                        {
                            "value": tweet_id,
                            "detail": f"Could not find tweet with id: [{tweet_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": tweet_id,
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                },
            )
        data: dict[str, Any] = {
            "id": tweet.id,
            "text": tweet.text,
            "edit_history_tweet_ids": [tweet.id],
        }
        if "public_metrics" in query.get("tweet.fields", ""):
            data["public_metrics"] = {
                "retweet_count": tweet.retweets,
                "reply_count": tweet.replies,
                "like_count": tweet.likes,
                "quote_count": tweet.quotes,
                "bookmark_count": 0,
                "impression_count": tweet.impressions,
            }
        self._answer(200, {"data": data})


class _XHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: XServerState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class XTestServer:
    """Start with `start()`, stop with `stop()`; `url` is its base (API and authorisation)."""

    def __init__(self, *, redirect_uri: str) -> None:
        user = XUser(id="1460000000000000001", username="camille_portevoix", followers=1234)
        self.state = XServerState(
            client_id="x-client-id",
            client_secret="x-client-secret",
            redirect_uri=redirect_uri,
            consenting_user=user,
            users={user.id: user},
        )
        self._server = _XHTTPServer(self.state)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> XTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.silent = False
        self._server.shutdown()
        self._server.server_close()
