"""The audit log page (admins). The log itself is core's (core/audit.py), written by every app;
reading it is an admin's right, which accounts decides."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portevoix.accounts.access import admin_required
from portevoix.core.models import AuditEntry


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(AuditEntry.objects.all(), 100).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})
