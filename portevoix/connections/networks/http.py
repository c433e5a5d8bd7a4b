"""Every call to a network's API, whichever module makes it (linkedin.py, mastodon.py, x.py,
bluesky.py), goes through `send`: core/fetch.py's address guard, the deadline and the size cap,
the bearer token, the body, and the request's own failures turned into the ones the worker tells
apart (base.py). `call` also maps the answer's status, for networks without statuses of their
own meaning."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.connections.networks.base import ReconnectNeeded, Refused, TransientError
from portevoix.core.fetch import FetchError, FetchRefused, FetchResult, fetch

MAX_BODY = 512 * 1024


def retry_after_seconds(value: str) -> float | None:
    """Retry-After is either seconds or an HTTP date (RFC 9110, 10.2.3)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


def deadline(given: float | None) -> float:
    """A module's time-out, or the settings' (CONNECTIONS_TIMEOUT) read at each call: the
    registry's instances live for the whole process."""
    return given if given is not None else settings.CONNECTIONS_TIMEOUT


def pkce_authorization_query(
    *,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...],
    state: str,
    code_challenge: str,
    quote_via: Callable[..., str] = quote_plus,
) -> str:
    """The query of an OAuth 2.0 authorisation request with PKCE S256 (RFC 7636)."""
    return urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        },
        quote_via=quote_via,
    )


def wait_asked(result: FetchResult, *, reset_header: str = "") -> float | None:
    """How long a network asked us to wait: `Retry-After`, else its own header giving the
    epoch second its rate limit resets (X's `x-rate-limit-reset`, a PDS's `ratelimit-reset`)."""
    waited = retry_after_seconds(result.header("retry-after"))
    if waited is not None:
        return waited
    reset = result.header(reset_header).strip() if reset_header else ""
    if reset.isdigit():
        return max(0.0, int(reset) - time.time())
    return None


def client_basic_auth(client_id: str, client_secret: str) -> dict[str, str]:
    """The `Authorization` header of a confidential OAuth client (HTTP Basic, each part
    percent-encoded as RFC 6749 2.3.1 asks); none for a public client, which names itself in
    the form instead."""
    if not client_secret:
        return {}
    pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def send(
    url: str,
    *,
    method: str = "GET",
    token: str = "",
    form: dict[str, str] | None = None,
    json_body: dict[str, Any] | None = None,
    raw_body: tuple[bytes, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int = MAX_BODY,
    unanswered: str = "",
) -> FetchResult:
    """One request to a network, whatever its answer's status: the module reads the statuses
    its network gives a meaning to (X's duplicate tweet, a PDS's RecordNotFound), `call` maps
    the rest. Only the request failing raises: an address the guard refuses is `Refused`;
    a time-out or an unreachable server is `TransientError`, with `unanswered` as its detail
    when the module has better words (X: the tweet may be out all the same).

    The body is a form, a JSON object (UTF-8), or `raw_body` (bytes, content type: a blob)."""
    sent = {"Accept": "application/json", **(headers or {})}
    body: bytes | None = None
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False).encode()
        sent["Content-Type"] = "application/json"
    elif raw_body is not None:
        body, sent["Content-Type"] = raw_body
    try:
        return fetch(
            url,
            method=method,
            body=body,
            headers=sent,
            timeout=deadline(timeout),
            max_bytes=max_bytes,
            # fetch never re-sends a POST to a redirect target; a GET may move twice.
            max_redirects=0 if method != "GET" else 2,
        )
    except FetchRefused as error:
        raise Refused(str(error)) from None
    except FetchError as error:
        raise TransientError(unanswered or str(error)) from None


def call(
    url: str,
    *,
    method: str = "GET",
    token: str = "",
    form: dict[str, str] | None = None,
    json_body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """One request (`send`); a 2xx answer or one of TransientError, ReconnectNeeded, Refused,
    for the networks that give their statuses no meaning of their own (LinkedIn, Mastodon)."""
    result = send(url, method=method, token=token, form=form, json_body=json_body, headers=headers)
    status = result.status
    if 200 <= status < 300:
        return result
    if status == 429:
        raise TransientError(
            _("The network asks to wait before trying again (rate limit)."),
            retry_after=retry_after_seconds(result.header("retry-after")),
        )
    if status >= 500 or status == 408:
        raise TransientError(
            _("The network is unavailable for now (error %(status)d).") % {"status": status},
            retry_after=retry_after_seconds(result.header("retry-after")),
        )
    if status in (401, 403):
        raise ReconnectNeeded(
            _("The network refuses this connection (error %(status)d): connect it again.")
            % {"status": status}
        )
    if detail := error_text(result):
        raise Refused(
            _("The network refused the request (error %(status)d): %(detail)s")
            % {"status": status, "detail": detail}
        )
    raise Refused(_("The network refused the request (error %(status)d).") % {"status": status})


def error_text(result: FetchResult) -> str:
    """The network's own explanation, short, for the person and the log (never a token: the
    answers we read here carry none)."""
    try:
        data = json.loads(result.body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("error_description", "error", "message", "detail"):
            if isinstance(data.get(key), str):
                return str(data[key])[:300]
    return ""


def json_of(result: FetchResult) -> dict[str, Any]:
    try:
        data = json.loads(result.body)
    except ValueError:
        raise TransientError(_("The network answered something that is not JSON.")) from None
    if not isinstance(data, dict):
        raise TransientError(_("The network answered something that is not a JSON object."))
    return data
