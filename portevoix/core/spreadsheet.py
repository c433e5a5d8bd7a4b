"""Values as a spreadsheet must read them, for every CSV and XLSX export (OWASP "CSV
injection"): shared by analytics' exports and the audit log's."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

# A spreadsheet runs text starting with these as a formula: names and titles come from people
# and from outside feeds, so they are written as plain text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (so XLSX) cannot hold: openpyxl refuses them and the export would fail.
# Names entered before input refused them may still carry one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def plain_text(value: object) -> str:
    """Text without control characters: each run becomes a space, so words stay apart."""
    text = str(value)
    cleaned = CONTROL_CHARACTERS.sub(" ", text)
    return cleaned if cleaned == text else cleaned.strip(" ")


def spreadsheet_cell(value: object) -> object:
    """A value as the spreadsheet must read it: numbers and days stay what they are, anything
    else becomes plain text (translated labels are lazy objects openpyxl cannot write)."""
    if value is None:
        return ""
    if isinstance(value, bool | datetime) or not isinstance(value, int | float | Decimal | date):
        value = plain_text(value)
        # Spreadsheets may trim leading spaces on import: look past them.
        if value.lstrip(" ").startswith(FORMULA_STARTS):
            return "'" + value
    return value


class _Echo:
    """A file-like object that hands back what the csv writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_rows(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV text, line by line, that spreadsheets open with its accents and never as formulas."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([spreadsheet_cell(value) for value in headers])
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])
