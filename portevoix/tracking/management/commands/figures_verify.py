"""`manage.py figures_verify [--from DAY] [--to DAY]`: recount the click counters of a period
from the raw clicks and print every difference with the live counters (recount.py)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portevoix.tracking.recount import figures_verify, verifiable_period


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a day (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recount every click counter of a period from the raw clicks (within retention), "
        "in memory, and compare with the live counters. Exits 1 on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", help="first organisation day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="last organisation day, YYYY-MM-DD")

    def handle(self, *args: object, first: str | None, last: str | None, **options: object):
        period = verifiable_period(_day(first) if first else None, _day(last) if last else None)
        if period.first > period.last:
            raise CommandError(
                f"No day to verify between {period.first} and {period.last}: the period is "
                "empty or older than the raw clicks kept (CLICK_RETENTION_DAYS)."
            )
        differences = figures_verify(period)
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                f"{len(differences)} counters differ from the raw clicks "
                f"({period.first} to {period.last})."
            )
        self.stdout.write(
            f"Every counter from {period.first} to {period.last} equals its recount from the "
            "raw clicks."
        )
