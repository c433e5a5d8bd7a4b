"""CSV (streamed row by row) and XLSX exports of the dashboard tables, filters applied."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from portevoix.analytics.tables import Table
from portevoix.core.spreadsheet import csv_rows
from portevoix.core.spreadsheet import plain_text as _plain
from portevoix.core.spreadsheet import spreadsheet_cell as _cell


def csv_lines(table: Table) -> Iterator[str]:
    return csv_rows(table.headers, table.rows)


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
