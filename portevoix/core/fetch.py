"""Fetching outside pages safely: link previews and feeds.

Only http(s); every address a host name resolves to must be public (no loopback, private,
link-local, multicast or reserved range), and the connection goes to the address that was
checked, so a DNS answer that changes between check and connect cannot reach the inside
network. Redirects are followed by hand and checked again. Bodies are capped and reads have a
deadline. FETCH_ALLOWED_PRIVATE_HOSTS lists host names exempt from the address check (tests use
it for their loopback servers; an intranet deployment may need it for its own blog).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = (
    "Portevoix/1.0 (+https://github.com/portevoix; employee advocacy link preview and feed reader)"
)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that failed, with a message in plain words for the person who asked."""


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we may fetch, or FetchError saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(_("This address is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(_("Only http:// and https:// addresses can be used."))
    if not parts.hostname:
        raise FetchError(_("This address has no host name."))
    if parts.username or parts.password:
        raise FetchError(_("Addresses with a user name or password are not accepted."))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve_public(host: str, port: int) -> str:
    """The address to connect to; every address the name resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("The server %(host)s could not be found.") % {"host": host}) from None
    addresses = [info[4][0] for info in infos]
    allowed = host in getattr(settings, "FETCH_ALLOWED_PRIVATE_HOSTS", [])
    if not allowed and not all(is_public_address(a) for a in addresses):
        raise FetchError(
            _("%(host)s points to a private or reserved network address: it cannot be fetched.")
            % {"host": host}
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(
    url: str,
    *,
    max_bytes: int = 2 * 1024 * 1024,
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
    max_redirects: int = 5,
    method: str = "GET",
    body: bytes | None = None,
) -> FetchResult:
    """GET (or POST `body` to) a public URL. Never raises anything but FetchError.
    A POST is never re-sent to a redirect target: webhooks must not be delivered twice."""
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        scheme, host, port = check_url(url)
        address = resolve_public(host, port)
        remaining = max(0.1, deadline - time.monotonic())
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, remaining)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = {
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
            "Connection": "close",
            **(headers or {}),
        }
        try:
            connection.request(method, target, body=body, headers=request_headers)
            response = connection.getresponse()
            status = response.status
            response_headers = {k.lower(): v for k, v in response.getheaders()}
            if method == "GET" and status in REDIRECT_STATUSES and response_headers.get("location"):
                url = urljoin(url, response_headers["location"])
                continue
            body, truncated = _read_capped(response, max_bytes, deadline)
            return FetchResult(url, status, response_headers, body, truncated)
        except TimeoutError:
            raise FetchError(_("The server took too long to answer.")) from None
        except ssl.SSLError:
            raise FetchError(
                _("The server's secure connection (TLS) could not be verified.")
            ) from None
        except (OSError, http.client.HTTPException):
            raise FetchError(_("The server could not be reached.")) from None
        finally:
            connection.close()
    raise FetchError(_("Too many redirections."))


def _read_capped(
    response: http.client.HTTPResponse, max_bytes: int, deadline: float
) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(min(65536, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:max_bytes], True
