"""The compliance archive page (admins and data-protection officers): export a period as CSV or
JSON lines; each export is recorded in the audit log (sharing/archive.py)."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portevoix.accounts.access import AuthenticatedRequest, data_protection_required
from portevoix.accounts.scopes import scope_of
from portevoix.core.audit import audit_record
from portevoix.core.spreadsheet import csv_rows
from portevoix.sharing.archive import (
    COLUMNS,
    FIRST_YEAR,
    LAST_YEAR,
    archive_entries,
    archive_json_lines,
    archive_row,
)
from portevoix.sharing.models import ArchiveEntry


class ArchiveExportForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("csv", "CSV"), ("jsonl", gettext_lazy("JSON lines"))],
    )

    def _day_in_bounds(self, name: str) -> date:
        """The years the platform's dates live in, as the REST API's (api/schemas.py): outside
        them the period's instants cannot be computed (year 1, or 9999-12-31 plus a day)."""
        day: date = self.cleaned_data[name]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def clean_since(self) -> date:
        return self._day_in_bounds("since")

    def clean_until(self) -> date:
        return self._day_in_bounds("until")

    def clean(self) -> dict:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


@data_protection_required
def archive_page(request: AuthenticatedRequest) -> HttpResponseBase:
    # The archive holds every share of the organisation (names and texts), one chain that is
    # exported whole: someone limited to some groups is not given it.
    if not scope_of(request.user).is_whole:
        raise PermissionDenied
    form = ArchiveExportForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        context = {"form": form, "count": ArchiveEntry.objects.count()}
        return render(request, "sharing/archive.html", context, status=status)
    since, until, fmt = (form.cleaned_data[k] for k in ("since", "until", "format"))
    entries = archive_entries(since=since, until=until)
    audit_record(
        actor=request.user,
        action="archive_exported",
        target=f"{since.isoformat()}..{until.isoformat()}",
        format=fmt,
        entries=entries.count(),
    )
    name = f"portevoix-archive-{since:%Y%m%d}-{until:%Y%m%d}"
    if fmt == "csv":
        rows = (archive_row(entry) for entry in entries.iterator())
        response = StreamingHttpResponse(
            csv_rows(COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = StreamingHttpResponse(
            archive_json_lines(entries), content_type="application/x-ndjson; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.jsonl"'
    return response
