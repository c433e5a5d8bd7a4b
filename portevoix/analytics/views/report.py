"""The signed figures report (admins) and the public key that verifies it (anyone)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.scopes import scope_of
from portevoix.analytics.figures_report import public_key_pem, report_build, report_sign
from portevoix.analytics.filters import FilterError, filters_parse
from portevoix.core.audit import audit_record


@admin_required
@require_GET
def figures_report(request: AuthenticatedRequest) -> HttpResponse:
    # The report is the whole programme's figures: an admin limited to some groups sees
    # figures of one of their groups only (docs/governance.md, "Approval and scopes").
    if not scope_of(request.user).is_whole:
        raise PermissionDenied
    try:
        filters = filters_parse(data=request.GET)
    except FilterError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    document = report_sign(report_build(start=filters.start, end=filters.end))
    audit_record(
        actor=request.user,
        action="figures_report_made",
        period=f"{filters.start} {filters.end}",
        key=document["signature"]["key_id"],
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"portevoix-figures-{filters.start}-{filters.end}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def figures_key(request: HttpRequest) -> HttpResponse:
    """Public on purpose: whoever holds a report must be able to check it."""
    response = HttpResponse(public_key_pem(), content_type="application/x-pem-file")
    response["Cache-Control"] = "public, max-age=3600"
    return response
