"""The signed figures report: the dashboard's figures, the rules in force and the excluded
clicks by reason, signed with the installation's Ed25519 key; verified as made, refused after
any change; admins only; the public key public."""

from __future__ import annotations

import base64
import copy
import io
import json
import subprocess
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from portevoix.analytics.dashboard import programme_figures
from portevoix.analytics.figures_report import (
    ReportRefused,
    canonical,
    report_build,
    report_sign,
    report_verify,
)
from portevoix.analytics.models import ReportKey
from portevoix.analytics.tests.conftest import attribution_of, local, period
from portevoix.core.audit import AuditEntry
from portevoix.tracking.models import ClickKind
from portevoix.tracking.rollups import ClassifiedClick, rollups_add

QUERY = {"start": "2025-12-01", "end": "2025-12-31"}


@pytest.fixture
def with_scanner(world):
    """One e-mail link scanner click on alice's link, on top of the world's clicks."""
    with transaction.atomic():
        rollups_add(
            clicks=[
                ClassifiedClick(
                    "s000000000000001",
                    local("2025-12-10T09:00:02").timestamp(),
                    ClickKind.SCANNER,
                    "scan",
                    attribution_of(world.alice_link, (world.ventes.pk,)),
                )
            ]
        )
    return world


def made(client_for, carol, **query) -> dict:
    response = client_for(carol).get(reverse("analytics:figures_report"), query or QUERY)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_report_holds_the_dashboards_figures_and_excluded_clicks(
    client_for, carol, with_scanner
):
    document = made(client_for, carol)
    report = document["report"]

    assert report["period"]["start"] == "2025-12-01"
    dashboard = {
        f.slug: f.value for f in programme_figures(filters=period("2025-12-01", "2025-12-31"))
    }
    shown = {f["slug"]: f["value"] for f in report["figures"]}
    assert shown["verified"] == dashboard["verified"] == 4
    assert shown["raw"] == dashboard["raw"] == 8
    assert shown["shares"] == dashboard["shares"] == 3
    assert set(shown) == set(dashboard)
    clicks = {reason: entry["clicks"] for reason, entry in report["excluded_clicks"].items()}
    assert clicks == {"bot": 1, "scanner": 1, "self": 1, "repeat": 1}
    rules = report["rules"]
    assert rules["points"]["verified_click"]["points"] == 2
    assert rules["retention_days"]["raw_clicks"] == 395
    assert rules["scanner"]["networks"] >= 15
    assert "e-mail link scanner" in rules["verified_click"]
    assert AuditEntry.objects.filter(action="figures_report_made", actor=carol).count() == 1


def test_the_report_verifies_as_made_and_is_refused_after_any_change(client_for, carol, world):
    document = made(client_for, carol)
    assert report_verify(document).period == "2025-12-01 to 2025-12-31"

    for change in (
        lambda d: d["report"]["figures"][0].update(value=d["report"]["figures"][0]["value"] + 1),
        lambda d: d["report"]["excluded_clicks"]["bot"].update(clicks=0),
        lambda d: d["report"]["period"].update(end="2026-01-31"),
        lambda d: d["report"]["rules"]["points"]["share"].update(points=100),
        lambda d: d["report"].update(extra="added"),
        lambda d: d["signature"].update(value=base64.b64encode(b"x" * 64).decode()),
    ):
        changed = copy.deepcopy(document)
        change(changed)
        with pytest.raises(ReportRefused):
            report_verify(changed)


def test_another_key_is_refused(world):
    document = report_sign(report_build(start=date(2025, 12, 1), end=date(2025, 12, 31)))
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with pytest.raises(ReportRefused, match="does not match"):
        report_verify(document, public_pem=other)


def test_the_key_is_made_once_and_sealed(world, client):
    first = report_sign(report_build(start=date(2025, 12, 1), end=date(2025, 12, 31)))
    second = report_sign(report_build(start=date(2026, 1, 1), end=date(2026, 1, 31)))
    assert ReportKey.objects.count() == 1
    assert first["signature"]["key_id"] == second["signature"]["key_id"]
    key = ReportKey.objects.get()
    assert b"PRIVATE" not in bytes(key.private_key_sealed)
    assert client.get(reverse("analytics:figures_key")).content.decode() == key.public_key


def test_the_command_verifies_with_the_published_key(client_for, carol, world, tmp_path, client):
    report_file = tmp_path / "report.json"
    report_file.write_bytes(
        client_for(carol).get(reverse("analytics:figures_report"), QUERY).content
    )
    key_file = tmp_path / "key.pem"
    client.logout()
    key_file.write_bytes(client.get(reverse("analytics:figures_key")).content)

    out = io.StringIO()
    call_command(
        "figures_report_verify", str(report_file), "--public-key", str(key_file), stdout=out
    )
    assert "Verified" in out.getvalue()

    document = json.loads(report_file.read_text())
    document["report"]["figures"][0]["value"] = 999_999
    report_file.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="does not match"):
        call_command("figures_report_verify", str(report_file), "--public-key", str(key_file))


@pytest.mark.parametrize("content", ["not json", "[]", '{"report": {}, "signature": {}}'])
def test_the_command_refuses_what_is_not_a_report(db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("figures_report_verify", str(path))


def test_openssl_verifies_the_documented_way(client_for, carol, world, tmp_path, client):
    """docs/governance.md: the canonical bytes, the signature and the PEM, checked by openssl."""
    document = made(client_for, carol)
    (tmp_path / "payload.bin").write_bytes(canonical(document["report"]))
    (tmp_path / "sig.bin").write_bytes(base64.b64decode(document["signature"]["value"]))
    (tmp_path / "key.pem").write_bytes(client.get(reverse("analytics:figures_key")).content)
    command = [
        "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pem", "-rawin",
        "-in", "payload.bin", "-sigfile", "sig.bin",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "Verified Successfully" in result.stdout, result
    (tmp_path / "payload.bin").write_bytes(canonical(document["report"]).replace(b"4", b"5", 1))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("person", "status"),
    [("carol", 200), ("bob", 403), ("alice", 403), ("dave", 403), (None, 302)],
)
def test_only_admins_download_the_report(client, client_for, request, person, status, world):
    if person is not None:
        client_for(request.getfixturevalue(person))
    assert client.get(reverse("analytics:figures_report"), QUERY).status_code == status
    # The public key is public: anyone who holds a report must be able to check it.
    assert client.get(reverse("analytics:figures_key")).status_code == 200


def test_a_bad_period_is_refused_and_signs_nothing(client_for, carol, db):
    response = client_for(carol).get(
        reverse("analytics:figures_report"), {"start": "2025-12-31", "end": "2025-12-01"}
    )
    assert response.status_code == 400
    assert "date de début est après la date de fin" in response.content.decode()
    assert not AuditEntry.objects.filter(action="figures_report_made").exists()
