"""The client's address, the same way everywhere (the redirect's visitor hash, rate limits).

Behind a reverse proxy every connection comes from the proxy: CLIENT_IP_HEADER names the header
the proxy adds. The address is used only in memory (hashed for the visitor hash and the rate
limit keys) and never stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest


def environ_key(header: str) -> str:
    """`X-Forwarded-For` → `HTTP_X_FORWARDED_FOR`; empty stays empty."""
    return "HTTP_" + header.upper().replace("-", "_") if header else ""


def client_address(environ: Mapping[str, str], key: str) -> str:
    """The address from `key` (an environ key made by `environ_key`), else the connection's."""
    if key:
        forwarded = environ.get(key, "")
        if forwarded:
            # The last address is the one our own proxy added: earlier ones are the client's word.
            return forwarded.rsplit(",", 1)[-1].strip()
    return environ.get("REMOTE_ADDR", "")


def request_address(request: HttpRequest) -> str:
    return client_address(request.META, environ_key(settings.CLIENT_IP_HEADER))
