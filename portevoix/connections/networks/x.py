"""X (formerly Twitter) through its API v2: OAuth 2.0 authorisation code with PKCE (S256),
refresh tokens with `offline.access`, `POST /2/tweets`, the account's public metrics and a
tweet's public metrics where the app's plan allows reading them.

X has no idempotency key: this module never sends `POST /2/tweets` twice on its own. A time-out
after the request went out is a `TransientError` whose detail says the tweet may be out; the
publishing task's own record decides whether to try again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

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
from portevoix.connections.networks.http import (
    client_basic_auth,
    deadline,
    pkce_authorization_query,
    send,
    wait_asked,
)
from portevoix.core.fetch import FetchResult
from portevoix.sharing.limits import length_problem
from portevoix.sharing.targets.x import X as XShareTarget

# X's documented addresses; a `Client` names them (a local server's in the tests).
API_BASE = "https://api.x.com"
AUTH_BASE = "https://x.com"
TWEET_LIMIT = 280
ANSWER_MAX_BYTES = 1024 * 1024
# What X says when the app's access level does not include an endpoint (the free plan cannot
# read tweets): the read is not possible, the person's token is fine.
PLAN_REFUSALS = ("client-not-enrolled", "https://api.twitter.com/2/problems/client-forbidden")


class XNetwork:
    network: Network = Network.X
    scopes: tuple[str, ...] = ("tweet.write", "users.read", "tweet.read", "offline.access")

    def __init__(self, *, timeout: float | None = None) -> None:
        self._timeout = timeout

    @property
    def timeout(self) -> float:
        return deadline(self._timeout)

    # --- authorisation -------------------------------------------------------------------------

    def authorization_url(
        self, *, client: Client, redirect_uri: str, state: str, code_challenge: str
    ) -> str:
        query = pkce_authorization_query(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            scopes=self.scopes,
            state=state,
            code_challenge=code_challenge,
            quote_via=quote,
        )
        return f"{(client.auth_base or AUTH_BASE).rstrip('/')}/i/oauth2/authorize?{query}"

    def exchange_code(
        self, *, client: Client, redirect_uri: str, code: str, code_verifier: str
    ) -> Credentials:
        tokens = self._token_call(
            client,
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
            refused=_("X refused the authorisation (the code was already used or has expired)."),
        )
        return self._credentials(client, tokens)

    def refresh(self, *, client: Client, credentials: Credentials) -> Credentials:
        if not credentials.refresh_token:
            raise ReconnectNeeded(_("The X connection has expired: connect X again."))
        tokens = self._token_call(
            client,
            {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token},
            refused=_("X no longer accepts this connection: connect X again."),
        )
        # X rotates refresh tokens: the one just used is spent, the answer holds the next one.
        return Credentials(
            access_token=tokens["access_token"],
            refresh_token=tokens.get("refresh_token", credentials.refresh_token),
            expires_at=_expires_at(tokens),
            account_id=credentials.account_id,
            handle=credentials.handle,
        )

    def revoke(self, *, client: Client, credentials: Credentials) -> None:
        # Revoking the refresh token ends the grant; the access token is revoked too, since it
        # stays valid until it expires otherwise. A token X no longer knows is already revoked.
        for token, hint in (
            (credentials.refresh_token, "refresh_token"),
            (credentials.access_token, "access_token"),
        ):
            if not token:
                continue
            result = send(
                api_url(client, "/2/oauth2/revoke"),
                method="POST",
                form={"token": token, "token_type_hint": hint, "client_id": client.client_id},
                headers=client_basic_auth(client.client_id, client.client_secret),
                timeout=self.timeout,
                max_bytes=ANSWER_MAX_BYTES,
            )
            if result.status >= 500 or result.status == 429:
                _raise_for(result)

    # --- acting for the person -----------------------------------------------------------------

    def publish(
        self, *, client: Client, credentials: Credentials, request: PublishRequest
    ) -> Published:
        text = posted_text(request)
        problem = length_problem(network=Network.X, posted_text=text)
        if problem:
            raise Refused(problem)
        result = send(
            api_url(client, "/2/tweets"),
            method="POST",
            token=credentials.access_token,
            json_body={"text": text},
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
            unanswered=_(
                "X did not answer in time: the tweet may have been posted. It is not sent again "
                "automatically."
            ),
        )
        if result.status == 403 and "duplicate" in _problem_text(result).lower():
            raise Refused(_("X refuses a tweet identical to one already posted."))
        _raise_for(result)
        tweet_id = str(_json(result).get("data", {}).get("id", ""))
        if not tweet_id:
            raise TransientError(_("X's answer did not include the tweet's id."))
        who = credentials.handle.lstrip("@") or "i/web"
        return Published(post_id=tweet_id, url=f"https://x.com/{who}/status/{tweet_id}")

    def followers(self, *, client: Client, credentials: Credentials) -> int | None:
        me = self._me(client, credentials.access_token)
        count = me.get("public_metrics", {}).get("followers_count")
        return int(count) if count is not None else None

    def engagement(
        self, *, client: Client, credentials: Credentials, post_id: str
    ) -> Engagement | None:
        result = send(
            api_url(client, f"/2/tweets/{quote(post_id, safe='')}?tweet.fields=public_metrics"),
            token=credentials.access_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status == 403 and _is_plan_refusal(result):
            return None  # the app's plan does not include reading tweets
        _raise_for(result)
        metrics = _json(result).get("data", {}).get("public_metrics")
        if not isinstance(metrics, dict):
            return None  # deleted, or not visible: X answers 200 with an `errors` list
        return Engagement(
            likes=metrics.get("like_count"),
            reposts=_sum(metrics.get("retweet_count"), metrics.get("quote_count")),
            replies=metrics.get("reply_count"),
            impressions=metrics.get("impression_count"),
        )

    # --- HTTP ----------------------------------------------------------------------------------

    def _credentials(self, client: Client, tokens: dict[str, Any]) -> Credentials:
        me = self._me(client, tokens["access_token"])
        return Credentials(
            access_token=tokens["access_token"],
            refresh_token=tokens.get("refresh_token", ""),
            expires_at=_expires_at(tokens),
            account_id=str(me["id"]),
            handle=f"@{me['username']}",
        )

    def _me(self, client: Client, access_token: str) -> dict[str, Any]:
        result = send(
            api_url(client, "/2/users/me?user.fields=public_metrics"),
            token=access_token,
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        _raise_for(result)
        me = _json(result).get("data")
        if not isinstance(me, dict) or "id" not in me or "username" not in me:
            raise TransientError(_("X's answer did not describe the account."))
        return me

    def _token_call(self, client: Client, form: dict[str, str], *, refused: str) -> dict[str, Any]:
        result = send(
            api_url(client, "/2/oauth2/token"),
            method="POST",
            form={**form, "client_id": client.client_id},
            headers=client_basic_auth(client.client_id, client.client_secret),
            timeout=self.timeout,
            max_bytes=ANSWER_MAX_BYTES,
        )
        if result.status in (400, 401):
            # OAuth errors (`invalid_grant`, `invalid_request`…): this grant is over for good.
            raise ReconnectNeeded(refused)
        _raise_for(result)
        tokens = _json(result)
        if not tokens.get("access_token"):
            raise TransientError(_("X's answer did not include an access token."))
        return tokens


def api_url(client: Client, path: str) -> str:
    return f"{(client.api_base or API_BASE).rstrip('/')}{path}"


def posted_text(request: PublishRequest) -> str:
    """The tweet: the person's text with the link after it, as X's share page would write it,
    unless the person already placed the link in their text."""
    if request.link.url and request.link.url in request.text:
        return request.text.strip()
    return XShareTarget().posted_text(request.text, request.link.url)


def _raise_for(result: FetchResult) -> None:
    """Nothing for a 2xx; otherwise the failure the worker must tell apart."""
    status = result.status
    if 200 <= status < 300:
        return
    detail = _problem_text(result)
    if status == 429:
        raise TransientError(
            _("X asks to wait before trying again (rate limit)."),
            retry_after=wait_asked(result, reset_header="x-rate-limit-reset"),
        )
    if status >= 500:
        raise TransientError(_("X is unavailable for now (error %(status)d).") % {"status": status})
    if status in (401, 403):
        raise ReconnectNeeded(
            _("X refuses this connection (%(detail)s): connect X again.") % {"detail": detail}
        )
    raise Refused(_("X refused the request: %(detail)s") % {"detail": detail})


def _json(result: FetchResult) -> dict[str, Any]:
    try:
        data = json.loads(result.body)
    except ValueError:
        raise TransientError(_("X answered something that is not JSON.")) from None
    if not isinstance(data, dict):
        raise TransientError(_("X answered something that is not a JSON object."))
    return data


def _problem_text(result: FetchResult) -> str:
    """X's own words from its error body (`detail`, `title`, or OAuth's `error_description`),
    short and without anything the request carried."""
    try:
        data = json.loads(result.body)
    except ValueError:
        return f"HTTP {result.status}"
    if not isinstance(data, dict):
        return f"HTTP {result.status}"
    for key in ("detail", "error_description", "title", "error"):
        if isinstance(data.get(key), str) and data[key]:
            return str(data[key])[:200]
    return f"HTTP {result.status}"


def _is_plan_refusal(result: FetchResult) -> bool:
    try:
        data = json.loads(result.body)
    except ValueError:
        return False
    return isinstance(data, dict) and (
        data.get("reason") in PLAN_REFUSALS or data.get("type") in PLAN_REFUSALS
    )


def _expires_at(tokens: dict[str, Any]) -> datetime | None:
    seconds = tokens.get("expires_in")
    if not isinstance(seconds, int | float):
        return None
    return datetime.now(UTC) + timedelta(seconds=seconds)


def _sum(*values: object) -> int | None:
    numbers = [v for v in values if isinstance(v, int)]
    return sum(numbers) if numbers else None
