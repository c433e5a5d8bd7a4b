"""CSV (streamed row by row) and XLSX exports of the dashboard tables, filters applied."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator

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


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheets open the UTF-8 file with its accents
    yield writer.writerow(table.headers)
    for row in table.rows:
        yield writer.writerow([_cell(value) for value in row])


def csv_response(*, table: Table, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{table.slug}.csv"'
    return response


def xlsx_response(*, tables: list[Table], name: str) -> FileResponse:
    """Every table on its own sheet; written in openpyxl's streaming mode to a temporary file."""
    book = Workbook(write_only=True)
    for table in tables:
        # Sheet names: 31 characters at most, none of []:*?/\
        sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", table.title)[:31])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once sent
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
