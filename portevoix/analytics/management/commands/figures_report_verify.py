"""`manage.py figures_report_verify FILE [--public-key PEM]`: check a signed figures report."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portevoix.analytics.figures_report import ReportRefused, report_verify


class Command(BaseCommand):
    help = (
        "Verify a signed figures report: with the public key given, or else the key of this "
        "installation it names. Exits 1 when the report was changed or another key signed it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the report's JSON file")
        parser.add_argument(
            "--public-key", help="a PEM file (e.g. from /analytics/figures-key.pem)"
        )

    def handle(self, *args: object, file: str, public_key: str | None, **options: object):
        try:
            document = json.loads(Path(file).read_text(encoding="utf-8"))
            pem = Path(public_key).read_text(encoding="utf-8") if public_key else None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read the report or the key: {error}") from None
        try:
            verified = report_verify(document, public_pem=pem)
        except ReportRefused as error:
            raise CommandError(f"Refused: {error}.") from None
        self.stdout.write(
            f"Verified: signed by key {verified.key_id}, period {verified.period}; "
            "nothing changed since."
        )
