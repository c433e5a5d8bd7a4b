"""The audit log page (admins): filtered by actor, action, object and period, and exported as
CSV with the same filters (the export is itself recorded). The log itself is core's
(core/audit.py), written by every app; reading it is an admin's right, which accounts decides."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.audit import (
    audit_actions,
    audit_details_text,
    audit_entries,
    audit_record,
)
from portevoix.core.models import AuditEntry
from portevoix.core.spreadsheet import csv_rows


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=150)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    target = forms.CharField(label=gettext_lazy("About"), required=False, max_length=200)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [("", _("All actions"))] + [(a, a) for a in audit_actions()]
        self.fields["action"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        # Bad filters show their error and filter nothing, rather than a silently wrong list.
        return form, AuditEntry.objects.none()
    data = form.cleaned_data if request.GET else {}
    filters = {k: data.get(k) or None for k in ("since", "until")}
    entries = audit_entries(
        actor=data.get("actor", ""),
        action=data.get("action", ""),
        target=data.get("target", ""),
        **filters,
    )
    return form, entries


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "rows": [(entry, audit_details_text(entry)) for entry in page],
        },
    )


@admin_required
def audit_log_export(request: AuthenticatedRequest) -> HttpResponseBase:
    form, entries = _filtered(request)
    if request.GET and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return audit_log(request)
    # The file lists the log as it was when asked for, without its own record.
    newest = AuditEntry.objects.aggregate(newest=Max("id"))["newest"] or 0
    entries = entries.filter(id__lte=newest)
    audit_record(
        actor=request.user,
        action="audit_log_exported",
        target="",
        filters=request.GET.urlencode() or "-",
    )
    rows = (
        [
            e.id,
            timezone.localtime(e.at).isoformat(),
            e.actor_name,
            e.action,
            e.target,
            audit_details_text(e),
            e.hash,
        ]
        for e in entries.iterator()
    )
    headers = [_("Entry"), _("When"), _("Who"), _("Action"), _("About"), _("Details"), _("Hash")]
    response = StreamingHttpResponse(
        csv_rows(headers, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="portevoix-audit-{stamp}.csv"'
    return response
