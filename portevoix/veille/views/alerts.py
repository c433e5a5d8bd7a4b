"""Alerts page (pilot team). Unread marks come from the person's notifications."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.veille.alert_notices import alerts_mark_read, alerts_unread
from portevoix.veille.selectors import alerts_visible


@pilot_required
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    alerts = alerts_visible(request.user).select_related("watch", "source")
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    unread = alerts_unread(person=request.user, alert_ids=[alert.pk for alert in page])
    return render(request, "veille/alerts.html", {"page": page, "unread": unread})


@pilot_required
@require_POST
def alerts_read(request: AuthenticatedRequest) -> HttpResponse:
    alerts_mark_read(person=request.user)
    return redirect("veille:alerts")
