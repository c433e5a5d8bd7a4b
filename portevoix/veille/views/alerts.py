"""Alerts page (pilot team)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portevoix.accounts.access import pilot_required
from portevoix.veille.alerts import alerts_mark_read
from portevoix.veille.models import Alert, AlertRead


@pilot_required
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = Alert.objects.select_related("watch", "source")
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    read = set(
        AlertRead.objects.filter(person=request.user, alert__in=list(page)).values_list(
            "alert_id", flat=True
        )
    )
    return render(request, "veille/alerts.html", {"page": page, "read": read})


@pilot_required
@require_POST
def alerts_read(request: HttpRequest) -> HttpResponse:
    alerts_mark_read(person=request.user)
    return redirect("veille:alerts")
