"""CSV and XLSX exports of the dashboard and of my statistics: the same tables as the pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.analytics import dashboard
from portevoix.analytics.exports import csv_response, xlsx_response
from portevoix.analytics.filters import (
    FilterError,
    Filters,
    filters_parse,
    filters_within_scope,
)
from portevoix.analytics.tables import Table
from portevoix.analytics.views.dashboard import statistics_person_for
from portevoix.core.audit import audit_record


def _export(request: HttpRequest, *, tables: list[Table], slug: str, fmt: str, name: str):
    if fmt == "xlsx":
        return xlsx_response(tables=tables, name=name)
    found = [table for table in tables if table.slug == slug]
    if fmt != "csv" or not found:
        raise Http404
    return csv_response(table=found[0], name=name)


def _filters_or_400(request: HttpRequest) -> Filters | HttpResponse:
    try:
        return filters_parse(data=request.GET)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")


@pilot_required
def programme_export(request: AuthenticatedRequest, slug: str, fmt: str) -> HttpResponse:
    filters = _filters_or_400(request)
    if isinstance(filters, HttpResponse):
        return filters
    filters = filters_within_scope(filters, viewer=request.user)
    # A CSV is one table: only its page's tables are built. The XLSX holds every page's.
    section = None if fmt == "xlsx" else dashboard.section_of(slug)
    if fmt != "xlsx" and section is None:
        raise Http404
    tables = dashboard.programme_tables_cached(filters=filters, section=section)
    response = _export(request, tables=tables, slug=slug, fmt=fmt, name="portevoix-dashboard")
    # Who took which figures out, and with which filters (the file itself may travel).
    audit_record(
        actor=request.user,
        action="dashboard_exported",
        target=f"{slug}.{fmt}",
        filters=request.GET.urlencode() or "-",
    )
    return response


@login_required
def mine_export(request: AuthenticatedRequest, slug: str, fmt: str) -> HttpResponse:
    person = statistics_person_for(request)
    filters = _filters_or_400(request)
    if isinstance(filters, HttpResponse):
        return filters
    tables = dashboard.personal_tables(filters=filters.for_person(person.pk))
    return _export(request, tables=tables, slug=slug, fmt=fmt, name="portevoix-my-statistics")
