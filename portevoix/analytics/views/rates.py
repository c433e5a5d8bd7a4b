"""Brand channels and media rates, set by an admin."""

from __future__ import annotations

from django.contrib import messages
from django.forms import BaseModelFormSet, ModelForm, modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.models import Network
from portevoix.analytics import dashboard, value
from portevoix.analytics.models import BrandChannel, MediaRate
from portevoix.core.audit import audit_change, rows_snapshot


def _rates_snapshot() -> dict:
    return {
        "brand_channels": rows_snapshot(BrandChannel.objects.order_by("pk")),
        "media_rates": rows_snapshot(MediaRate.objects.order_by("pk")),
    }


@admin_required
def rates(request: AuthenticatedRequest) -> HttpResponse:
    """Brand channels (for the amplification ratio) and media rates (for the EMV)."""
    channels_set: type[BaseModelFormSet[BrandChannel, ModelForm[BrandChannel]]]
    channels_set = modelformset_factory(
        BrandChannel, fields=["network", "followers", "monthly_traffic"], extra=1, can_delete=True
    )
    rates_set: type[BaseModelFormSet[MediaRate, ModelForm[MediaRate]]]
    rates_set = modelformset_factory(
        MediaRate, fields=["network", "cpc", "cpm", "impression_rate"], extra=1, can_delete=True
    )
    channels = channels_set(request.POST or None, prefix="channels")
    media = rates_set(request.POST or None, prefix="rates")
    if request.method == "POST":
        if channels.is_valid() and media.is_valid():
            before = _rates_snapshot()
            channels.save()
            media.save()
            after = _rates_snapshot()
            if before != after:
                audit_change(
                    actor=request.user,
                    action="rates_changed",
                    target="rates",
                    before=before,
                    after=after,
                )
            dashboard.programme_cache_bump()
            messages.success(request, _("Brand channels and media rates saved."))
            return redirect("analytics:rates")
        return _rates_page(request, channels=channels, media=media, status=400)
    return _rates_page(request, channels=channels, media=media)


def _rates_page(request: HttpRequest, *, channels, media, status: int = 200) -> HttpResponse:
    labels = dict(Network.choices)
    in_force = [
        (
            labels[rate.network],
            rate.cpc,
            rate.cpm,
            rate.impression_rate,
            _("entered by an admin") if rate.entered else _("default"),
        )
        for rate in value.rates_in_force()
    ]
    return render(
        request,
        "analytics/rates.html",
        {"channels": channels, "media": media, "in_force": in_force},
        status=status,
    )
