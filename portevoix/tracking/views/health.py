"""The operator's health page (admins): what `manage.py status` prints, and the same as JSON."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.tracking.status import platform_status


@admin_required
def health(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "tracking/health.html", {"status": platform_status()})


@admin_required
def health_json(request: AuthenticatedRequest) -> HttpResponse:
    return JsonResponse(platform_status().as_dict())
