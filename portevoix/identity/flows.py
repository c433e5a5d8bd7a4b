"""Sign-ins under way, kept in the browser's session until the provider answers.

Keyed by `state`: an answer whose state this session did not start is refused (OpenID Connect
Core §3.1.2.7, login CSRF). A flow is used once and lasts FLOW_SECONDS.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.http import HttpRequest

SESSION_KEY = "identity_flows"
FLOW_SECONDS = 600
MAX_FLOWS = 5


@dataclass(frozen=True)
class Flow:
    provider: str
    nonce: str
    verifier: str
    next_url: str
    started: float


def flow_keep(request: HttpRequest, *, state: str, flow: Flow) -> None:
    flows = {
        s: f
        for s, f in request.session.get(SESSION_KEY, {}).items()
        if f.get("started", 0) > time.time() - FLOW_SECONDS
    }
    flows[state] = asdict(flow)
    # A few tabs may sign in at once; more than that is a loop, not a person.
    request.session[SESSION_KEY] = dict(list(flows.items())[-MAX_FLOWS:])


def flow_take(request: HttpRequest, *, state: str, provider: str) -> Flow | None:
    flows = dict(request.session.get(SESSION_KEY, {}))
    data = flows.pop(state, None) if state else None
    request.session[SESSION_KEY] = flows
    if data is None:
        return None
    flow = Flow(**data)
    if flow.provider != provider or flow.started < time.time() - FLOW_SECONDS:
        return None
    return flow
