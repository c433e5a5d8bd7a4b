"""Fetching outside pages safely: link previews and feeds.

Only http(s); every address a host name resolves to must be public (no loopback, private,
link-local, multicast or reserved range; an IPv6 address that carries an IPv4 one — mapped,
compatible, translated, NAT64, 6to4, Teredo — is judged by the IPv4 address it reaches), and the
connection goes to the address that was
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


class FetchRefused(FetchError):
    """The URL itself is refused (scheme, credentials, a private address): asking again later
    cannot succeed, unlike a server that is down or a name that does not resolve yet."""


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


# IPv6 forms whose last 32 bits are an IPv4 address that the packet ends up reaching: without
# this, `[::127.0.0.1]` or `[64:ff9b::7f00:1]` would pass for public and reach the loopback.
IPV4_IN_LAST_32_BITS = [
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated); also :: and ::1
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix
]
# NAT64 local-use prefix (RFC 8215): an operator's own translator, never a public destination.
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast


def is_public_address(address: str) -> bool:
    """Whether a literal address is on the public internet (ValueError if it is not one)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv4Address):
        return _is_public_ip(ip)
    if ip in NAT64_LOCAL_USE:
        return False
    if any(ip in network for network in IPV4_IN_LAST_32_BITS):
        # The IPv4 address decides: Python's own view of these prefixes varies by version.
        return _is_public_ip(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    # 6to4 carries one IPv4 address, Teredo two (its server and its client): all are reached.
    embedded = [ip.sixtofour] if ip.sixtofour is not None else list(ip.teredo or ())
    return _is_public_ip(ip) and all(_is_public_ip(v4) for v4 in embedded)


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we may fetch, or FetchError saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused(_("This address is not a valid URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(_("Only http:// and https:// addresses can be used."))
    if not parts.hostname:
        raise FetchRefused(_("This address has no host name."))
    if parts.username or parts.password:
        raise FetchRefused(_("Addresses with a user name or password are not accepted."))
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_fetchable_url(url: str, *, https_only: bool = False) -> str:
    """The guard for every URL a person enters that the server will fetch or post to (feeds,
    webhooks): what `fetch` checks before connecting, checked when the URL is entered, so a bad
    one is refused in the form rather than failing later in the worker. Returns the URL
    stripped, or raises FetchError saying why not. A name that does not resolve is refused."""
    url = url.strip()
    scheme, host, port = check_url(url)
    allowed = host in getattr(settings, "FETCH_ALLOWED_PRIVATE_HOSTS", [])
    if https_only and scheme != "https" and not allowed:
        raise FetchRefused(_("This address must start with https://."))
    resolve_public(host, port)
    return url


def resolve_public(host: str, port: int) -> str:
    """The address to connect to; every address the name resolves to must be public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("The server %(host)s could not be found.") % {"host": host}) from None
    addresses = [str(info[4][0]) for info in infos]  # an IP address for INET and INET6
    allowed = host in getattr(settings, "FETCH_ALLOWED_PRIVATE_HOSTS", [])
    if not allowed and not all(is_public_address(a) for a in addresses):
        raise FetchRefused(
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
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


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
                try:
                    following = urljoin(url, response_headers["location"])
                    following_parts = urlsplit(following)
                    following_host = following_parts.hostname
                except ValueError:  # "http://[x/": a malformed address
                    raise FetchError(
                        _("The server redirected to an address that is not a valid URL.")
                    ) from None
                if scheme == "https" and following_parts.scheme != "https":
                    # A provider's keys or metadata fetched over https must not come from a
                    # plain-text address someone on the path could answer.
                    raise FetchError(_("A redirect from https to plain http was refused."))
                if following_host != host and headers:
                    # Credentials (a bearer token) are for the host they were meant for.
                    headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
                url = following
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
