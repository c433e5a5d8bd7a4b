"""E-mail link scanners: the security gateways that open every link of a mail before (or as) its
reader does — Microsoft Defender for Office 365 Safe Links, Proofpoint URL Defense, Mimecast URL
Protect, Barracuda Link Protection. They often send a browser's user agent, so crawlerdetect
does not see them; they must not count as people (docs/metrics.md, "E-mail link scanners").

Three signs, none of which keeps an address:

- **Their networks.** The redirect looks the client's address up in the scanners' published
  network ranges (`ScannerNetwork`, refreshed daily from SCANNER_NETWORKS_URL, else the list
  shipped in `scanner_networks.txt`) and passes on only a flag: the inbox row carries
  SCANNER_MARK in its self-token column, a value no Portevoix cookie can take (the inbox keeps
  its columns, the address is forgotten with the request).
- **Their own user agents**, when they say who they are (SCANNER_AGENTS).
- **Their timing**, at ingestion: one visitor opening SCANNER_BURST_LINKS different links
  within SCANNER_BURST_SECONDS is a machine reading a whole mail, not a person.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
import socket
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from portevoix.core.fetch import FetchError, fetch

SCANNER_MARK = "~scanner-network"  # '~' is outside the alphabet of self tokens (selfclick.py)
SHIPPED_LIST = Path(__file__).with_name("scanner_networks.txt")
# User agents the gateways send when they name themselves (docs/metrics.md lists the sources).
SCANNER_AGENTS = re.compile(
    r"ms-office|microsoft office|safelinks|proofpoint|urldefense|mimecast|barracuda"
    r"|cisco ironport|fireeye|trendmicro|forcepoint",
    re.IGNORECASE,
)
# A person does not open three different links within ten seconds; a scanner reading a mail
# opens all of its links at once.
SCANNER_BURST_LINKS = 3
SCANNER_BURST_SECONDS = 10.0
RELOAD_SECONDS = 300.0  # a redirect process re-reads the ranges at most this often
MAX_NETWORKS = 100_000
IPV4_MAPPED = bytes(10) + b"\xff\xff"  # a longer list is not a list of scanner networks


def parse_networks(lines: Iterable[str]) -> list[str]:
    """The networks of a list (one CIDR per line; '#' starts a comment), normalised.
    Raises ValueError naming the first line that is not a network."""
    found: set[str] = set()
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            found.add(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            raise ValueError(f"line {number}: {text[:60]!r} is not a network") from None
        if len(found) > MAX_NETWORKS:
            raise ValueError(f"more than {MAX_NETWORKS} networks")
    return sorted(found)


class ScannerRanges:
    """Sorted, merged (first, last) integer ranges per address family: a look-up is one
    conversion of the address and one bisection."""

    def __init__(self, networks: Iterable[str]) -> None:
        spans: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
        for text in networks:
            network = ipaddress.ip_network(text, strict=False)
            spans[network.version].append(
                (int(network.network_address), int(network.broadcast_address))
            )
        self._starts: dict[int, list[int]] = {}
        self._ends: dict[int, list[int]] = {}
        for version, found in spans.items():
            merged: list[tuple[int, int]] = []
            for first, last in sorted(found):
                if merged and first <= merged[-1][1] + 1:
                    merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
                else:
                    merged.append((first, last))
            self._starts[version] = [first for first, _last in merged]
            self._ends[version] = [last for _first, last in merged]

    def __len__(self) -> int:
        return len(self._starts[4]) + len(self._starts[6])

    def contains(self, address: str) -> bool:
        # inet_pton, not ipaddress: this runs in every redirect, and it is ~5× cheaper.
        try:
            if ":" in address:
                packed = socket.inet_pton(socket.AF_INET6, address)
                if packed[:12] == IPV4_MAPPED:  # "::ffff:40.92.1.2"
                    version, packed = 4, packed[12:]
                else:
                    version = 6
            else:
                version, packed = 4, socket.inet_pton(socket.AF_INET, address)
        except OSError:
            return False  # no address, or not one (a misconfigured proxy header)
        starts = self._starts[version]
        value = int.from_bytes(packed, "big")
        place = bisect.bisect_right(starts, value) - 1
        return place >= 0 and value <= self._ends[version][place]


def shipped_networks() -> list[str]:
    return parse_networks(SHIPPED_LIST.read_text(encoding="utf-8").splitlines())


def scanner_networks() -> list[str]:
    """The networks in force: the last refreshed list, else the one shipped."""
    from portevoix.tracking.models import ScannerNetwork

    stored = list(ScannerNetwork.objects.order_by("network").values_list("network", flat=True))
    return stored or shipped_networks()


class ScannerCheck:
    """Per redirect process: the ranges, re-read from the database every RELOAD_SECONDS (a
    refresh is daily; a few minutes late changes nothing)."""

    def __init__(self, networks: Sequence[str] | None = None) -> None:
        self._fixed = networks is not None
        self._ranges = ScannerRanges(networks or [])
        self._until = 0.0 if networks is None else float("inf")
        self._lock = threading.Lock()

    def is_scanner(self, address: str, now: float) -> bool:
        if now >= self._until:
            self._reload(now)
        return self._ranges.contains(address)

    def _reload(self, now: float) -> None:
        with self._lock:
            if now < self._until:
                return
            try:
                self._ranges = ScannerRanges(scanner_networks())
            except DatabaseError:
                # Keep the ranges we had (the shipped list if none yet); try again later.
                if not len(self._ranges):
                    self._ranges = ScannerRanges(shipped_networks())
            self._until = now + RELOAD_SECONDS


def scanner_networks_refresh(url: str | None = None) -> int:
    """Replace the stored networks by the list at `url` (SCANNER_NETWORKS_URL), fetched with
    the SSRF guard. Returns how many networks are now stored. Raises FetchError or ValueError
    (and changes nothing) when the list cannot be read."""
    from portevoix.tracking.models import ScannerNetwork

    url = url if url is not None else settings.SCANNER_NETWORKS_URL
    if not url:
        return 0  # the shipped list stays in force
    result = fetch(url, max_bytes=4 * 1024 * 1024)
    if result.status != 200:
        raise FetchError(f"the list answered HTTP {result.status}")
    networks = parse_networks(result.body.decode("utf-8", "replace").splitlines())
    if not networks:
        raise ValueError("the list holds no network")
    now = timezone.now()
    with transaction.atomic():
        ScannerNetwork.objects.all().delete()
        ScannerNetwork.objects.bulk_create(
            ScannerNetwork(network=network, source=url[:80], updated_at=now) for network in networks
        )
    return len(networks)


def is_scanner_agent(user_agent: str) -> bool:
    return bool(SCANNER_AGENTS.search(user_agent))


def burst_visitors(clicks: Iterable[tuple[str, float, str]]) -> set[tuple[str, int]]:
    """(visitor, window) of visitors who opened SCANNER_BURST_LINKS different links within one
    SCANNER_BURST_SECONDS window, from (visitor, time, code) in time order. A visitor is the
    day's hash of address and user agent: a scanner keeps both while it reads one mail."""
    # Most visitors open one link per window: their first link is kept alone, and a set is
    # only made for those who open a second (a set per click was a tenth of ingestion's time).
    first: dict[tuple[str, int], str] = {}
    links: dict[tuple[str, int], set[str]] = {}
    bursts: set[tuple[str, int]] = set()
    for visitor, at, code in clicks:
        window = int(at // SCANNER_BURST_SECONDS)
        # A burst may straddle two windows: count the link in its window and the next.
        for key in ((visitor, window), (visitor, window + 1)):
            if first.setdefault(key, code) == code:
                continue
            seen = links.get(key)
            if seen is None:
                seen = links[key] = {first[key]}
            seen.add(code)
            if len(seen) >= SCANNER_BURST_LINKS:
                bursts.add(key)
    return bursts


def in_burst(bursts: set[tuple[str, int]], visitor: str, at: float) -> bool:
    window = int(at // SCANNER_BURST_SECONDS)
    return (visitor, window) in bursts or (visitor, window + 1) in bursts
