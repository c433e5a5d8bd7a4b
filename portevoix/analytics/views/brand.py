"""The personal-brand file: from one's profile (any role, alumni included), or through the
link e-mailed to a leaver (no login: a deactivated person cannot log in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Person
from portevoix.analytics.brand_export import (
    brand_export_filename,
    brand_export_link_person,
    brand_export_zip,
)


def _zip(person: Person) -> HttpResponse:
    response = HttpResponse(brand_export_zip(person), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{brand_export_filename(person)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def brand_export(request: AuthenticatedRequest) -> HttpResponse:
    return _zip(request.user)


@require_GET
def brand_export_by_link(request: HttpRequest, token: str) -> HttpResponse:
    person = brand_export_link_person(token)
    if person is None:
        raise Http404(_("This link is not valid or has expired."))
    return _zip(person)
