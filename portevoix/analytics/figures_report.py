"""The signed figures report: a period's key figures (the dashboard's own), the rules in force
and the clicks excluded by reason, signed with the installation's Ed25519 key, for a CFO or an
auditor to rely on (docs/governance.md, "Signed report").

The document is one JSON object: `report` (what is signed) and `signature` (algorithm, key id,
base64 signature). What is signed is the canonical form of `report`: JSON with keys sorted, no
spaces, UTF-8 (`canonical()`). Numbers are integers or null; anything else (ratios, amounts) is
a string, so that every JSON library writes the same bytes for it. The public key is published
at a stable URL (`analytics:figures_key`), as PEM.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from portevoix.analytics import keeping
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.dashboard import excluded_labels, programme_figures
from portevoix.analytics.filters import Filters
from portevoix.analytics.models import ReportKey
from portevoix.core.secrets import SecretUnreadable, secret_seal, secret_unseal
from portevoix.gamification.models import DEFAULT_CLICK_CAP, DEFAULT_POINTS, Action
from portevoix.gamification.points import rule_in_force
from portevoix.tracking.counters import Property
from portevoix.tracking.ingest import ADDRESS_WINDOW
from portevoix.tracking.scanners import (
    SCANNER_BURST_LINKS,
    SCANNER_BURST_SECONDS,
    scanner_networks,
)

logger = logging.getLogger(__name__)
PURPOSE = "analytics.figures_report.ed25519"
FORMAT = "portevoix-figures-report/1"
ALGORITHM = "Ed25519"


class ReportRefused(Exception):
    """The document is not a report this installation signed, or was changed after signing."""


def canonical(report: dict[str, Any]) -> bytes:
    return json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key_id(public_pem: str) -> str:
    return hashlib.sha256(public_pem.encode()).hexdigest()[:16]


def _public_pem(private_key: Ed25519PrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _new_key() -> tuple[ReportKey, Ed25519PrivateKey]:
    private_key = Ed25519PrivateKey.generate()
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_pem = _public_pem(private_key)
    key = ReportKey.objects.create(
        key_id=_key_id(public_pem),
        public_key=public_pem,
        private_key_sealed=secret_seal(base64.b64encode(raw).decode(), purpose=PURPOSE),
    )
    return key, private_key


def signing_key() -> tuple[ReportKey, Ed25519PrivateKey]:
    """The installation's key, made the first time it is needed. If the stored one can no
    longer be unsealed (SECRETS_KEYS changed without its former key), a new one is made; the
    old public key stays published for the reports it signed."""
    key = ReportKey.objects.first()
    if key is not None:
        try:
            raw = base64.b64decode(secret_unseal(key.private_key_sealed, purpose=PURPOSE))
            return key, Ed25519PrivateKey.from_private_bytes(raw)
        except (SecretUnreadable, ValueError):
            logger.warning("The figures report key cannot be unsealed: a new key is made.")
    try:
        with transaction.atomic():
            return _new_key()
    except IntegrityError:  # another process made one at the same instant
        return signing_key()


def public_key_pem() -> str:
    """The key that signs reports now (made if there is none yet)."""
    return signing_key()[0].public_key


def _plain(value: object) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return str(value)


def _rules(at: datetime) -> dict[str, Any]:
    points = {}
    for action in Action:
        rule = rule_in_force(action=action, at=at)
        entry: dict[str, Any] = {
            "points": rule.points if rule else DEFAULT_POINTS[action],
            "in_force_since": rule.valid_from.isoformat() if rule else None,
        }
        if action == Action.VERIFIED_CLICK:
            entry["daily_cap_per_link"] = (
                rule.daily_cap_per_link
                if rule and rule.daily_cap_per_link is not None
                else DEFAULT_CLICK_CAP
            )
        points[action.value] = entry
    networks = scanner_networks()
    return {
        "verified_click": (
            "A click by a person: not a bot or link preview, not an e-mail link scanner, not "
            "the ambassador's own click, and the first of its visitor on its link that day; "
            f"browsers of one address on one link within {ADDRESS_WINDOW} seconds are one "
            "visitor (docs/metrics.md)."
        ),
        "scanner": {
            "networks": len(networks),
            "networks_sha256": hashlib.sha256("\n".join(networks).encode()).hexdigest(),
            "burst_links": SCANNER_BURST_LINKS,
            "burst_seconds": int(SCANNER_BURST_SECONDS),
        },
        "points": points,
        # None: kept until the person's account is erased (keeping.py).
        "retention_days": keeping.as_dict(),
    }


def report_build(*, start: date, end: date, now: datetime | None = None) -> dict[str, Any]:
    """The report of [start, end] (organisation days), unsigned: the programme's key figures
    as the dashboard shows them, in English whatever the reader's language."""
    now = now or timezone.now()
    filters = Filters(start=start, end=end)
    clicks = ClickFigures(filters)
    with override("en"):
        figures = programme_figures(filters=filters, figures=clicks)
        excluded = {
            prop: {"label": str(label), "clicks": _plain(clicks.totals[prop])}
            for prop, label in excluded_labels().items()
        }
    return {
        "format": FORMAT,
        "installation": {"site": settings.SITE_URL, "organisation": settings.ORGANISATION_NAME},
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "time_zone": settings.TIME_ZONE,
        },
        "made_at": now.isoformat(),
        "figures": [
            {"slug": f.slug, "label": str(f.label), "kind": f.kind, "value": _plain(f.value)}
            for f in figures
        ],
        "raw_clicks": _plain(clicks.totals[Property.RAW]),
        "excluded_clicks": excluded,
        "rules": _rules(filters.until),
    }


def report_sign(report: dict[str, Any]) -> dict[str, Any]:
    key, private_key = signing_key()
    signature = private_key.sign(canonical(report))
    return {
        "report": report,
        "signature": {
            "algorithm": ALGORITHM,
            "key_id": key.key_id,
            "value": base64.b64encode(signature).decode(),
        },
    }


@dataclass(frozen=True)
class Verified:
    key_id: str
    period: str


def report_verify(document: object, *, public_pem: str | None = None) -> Verified:
    """Check a signed report against `public_pem`, or else the stored key its id names.
    Raises ReportRefused saying why."""
    if not isinstance(document, dict) or set(document) != {"report", "signature"}:
        raise ReportRefused("not a signed figures report (report and signature expected)")
    report, signature = document["report"], document["signature"]
    if not isinstance(report, dict) or report.get("format") != FORMAT:
        raise ReportRefused(f"not a report of format {FORMAT}")
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
        raise ReportRefused(f"the signature is not {ALGORITHM}")
    key_id = str(signature.get("key_id", ""))
    if public_pem is None:
        stored = ReportKey.objects.filter(key_id=key_id).first()
        if stored is None:
            raise ReportRefused(f"no key {key_id!r} here: pass the public key it names")
        public_pem = stored.public_key
    try:
        public_key = serialization.load_pem_public_key(public_pem.encode())
        value = base64.b64decode(str(signature.get("value", "")), validate=True)
    except ValueError as error:
        raise ReportRefused(f"unreadable key or signature ({error})") from None
    if not isinstance(public_key, Ed25519PublicKey):
        raise ReportRefused("the public key is not an Ed25519 key")
    try:
        public_key.verify(value, canonical(report))
    except InvalidSignature:
        raise ReportRefused(
            "the signature does not match: the report was changed after it was signed, or "
            "another key signed it"
        ) from None
    period = report.get("period", {})
    return Verified(key_id, f"{period.get('start')} to {period.get('end')}")
