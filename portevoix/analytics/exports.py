"""CSV (streamed row by row) and XLSX exports of the dashboard tables, filters applied."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from portevoix.analytics.tables import Table


class _Echo:
    """A file-like object that hands back what the csv writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet runs text starting with these as a formula: names and titles come from people
# and from outside feeds, so they are written as plain text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (so XLSX) cannot hold: openpyxl refuses them and the export would fail.
# Names entered before input refused them may still carry one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def _plain(value: object) -> str:
    """Text without control characters: each run becomes a space, so words stay apart."""
    text = str(value)
    cleaned = CONTROL_CHARACTERS.sub(" ", text)
    return cleaned if cleaned == text else cleaned.strip(" ")


def _cell(value: object) -> object:
    """A value as the spreadsheet must read it: numbers and days stay what they are, anything
    else becomes plain text (translated labels are lazy objects openpyxl cannot write)."""
    if value is None:
        return ""
    if isinstance(value, bool | datetime) or not isinstance(value, int | float | Decimal | date):
        value = _plain(value)
        # Spreadsheets may trim leading spaces on import: look past them.
        if value.lstrip(" ").startswith(FORMULA_STARTS):
            return "'" + value
    return value


def csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheets open the UTF-8 file with its accents
    yield writer.writerow([_cell(value) for value in table.headers])
    for row in table.rows:
        yield writer.writerow([_cell(value) for value in row])


def csv_response(*, table: Table, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{table.slug}.csv"'
    return response


SHEET_TITLE_MAX = 31  # Excel's limit


def _shorten(title: str, limit: int) -> str:
    """At most `limit` characters, cut after the last whole word that fits (a single word longer
    than that is cut where it must be)."""
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0] if " " in title[: limit + 1] else ""
    return (cut.rstrip(" -,;.") or title[:limit]).strip()


def sheet_titles(titles: Iterable[str]) -> list[str]:
    """Names for the sheets of these tables: none of []:*?/\\ nor a leading or trailing
    apostrophe, 31 characters at most cut at a word, no two alike (Excel ignores case)."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        clean = re.sub(r"[\[\]:*?/\\]", "-", _plain(title))
        clean = " ".join(clean.split()).strip("'").strip() or "-"
        name, number = _shorten(clean, SHEET_TITLE_MAX), 1
        while name.lower() in taken:
            number += 1
            suffix = f" ({number})"
            name = _shorten(clean, SHEET_TITLE_MAX - len(suffix)) + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def xlsx_response(*, tables: list[Table], name: str) -> FileResponse:
    """Every table on its own sheet; written in openpyxl's streaming mode to a temporary file."""
    book = Workbook(write_only=True)
    for table, title in zip(tables, sheet_titles(table.title for table in tables), strict=True):
        sheet = book.create_sheet(title=title)
        sheet.append([_cell(value) for value in table.headers])
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([_cell(table.note)])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once sent
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
