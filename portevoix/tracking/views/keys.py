"""Admins manage the API keys of the server-side conversion endpoint."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.audit import audit_change, model_snapshot
from portevoix.tracking.conversions import conversion_key_create, conversion_key_revoke
from portevoix.tracking.forms import ConversionKeyForm
from portevoix.tracking.hotpath.cache import CLICK_PARAMETER
from portevoix.tracking.models import ConversionKey, Goal


@admin_required
def key_list(request: AuthenticatedRequest) -> HttpResponse:
    new_key = None
    status = 200
    if request.method == "POST":
        form = ConversionKeyForm(request.POST)
        if form.is_valid():
            key, new_key = conversion_key_create(
                name=form.cleaned_data["name"], created_by=request.user
            )
            audit_change(
                actor=request.user,
                action="conversion_key_created",
                target=key,
                before={},
                after=model_snapshot(key),
            )
            form = ConversionKeyForm()
        else:
            status = 400
    else:
        form = ConversionKeyForm()
    context = {
        "form": form,
        "keys": ConversionKey.objects.select_related("created_by"),
        "new_key": new_key,  # shown on this response only: only its hash is stored
        "api_url": settings.SITE_URL + reverse("tracking:conversions_api"),
        "script_url": settings.SITE_URL + static("tracking/conversions.js"),
        "script_enabled": settings.CONVERSION_SCRIPT_ENABLED,
        "click_parameter": CLICK_PARAMETER,
        "goals": Goal.choices,
    }
    return render(request, "tracking/keys.html", context, status=status)


@admin_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ConversionKey, pk=pk)
    before = model_snapshot(key)
    conversion_key_revoke(key=key)
    key.refresh_from_db()
    audit_change(
        actor=request.user,  # type: ignore[arg-type]
        action="conversion_key_revoked",
        target=key,
        before=before,
        after=model_snapshot(key),
    )
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("tracking:keys")
