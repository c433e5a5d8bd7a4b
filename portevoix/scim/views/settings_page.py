"""The admin's SCIM page: the URL and tokens to give the identity provider, and the rules for
newcomers and leavers."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.audit import audit_change, model_snapshot
from portevoix.scim.forms import ProvisioningSettingsForm, ScimTokenForm
from portevoix.scim.models import ProvisioningSettings, ScimToken
from portevoix.scim.schemas import base_url
from portevoix.scim.tokens import scim_token_create, scim_token_revoke


@admin_required
def scim_settings(request: AuthenticatedRequest) -> HttpResponse:
    current = ProvisioningSettings.current()
    token_form = ScimTokenForm()
    settings_form = ProvisioningSettingsForm(instance=current)
    new_token = None
    status = 200
    if request.method == "POST" and request.POST.get("form") == "settings":
        before = model_snapshot(current)
        settings_form = ProvisioningSettingsForm(request.POST, instance=current)
        if settings_form.is_valid():
            saved = settings_form.save()
            audit_change(
                actor=request.user,
                action="scim_settings_changed",
                target="SCIM",
                before=before,
                after=model_snapshot(saved),
            )
            messages.success(request, _("Saved."))
            return redirect("scim:settings")
        status = 400
    elif request.method == "POST":
        token_form = ScimTokenForm(request.POST)
        if token_form.is_valid():
            _token, new_token = scim_token_create(
                name=token_form.cleaned_data["name"], created_by=request.user
            )
            token_form = ScimTokenForm()
        else:
            status = 400
    context = {
        "token_form": token_form,
        "settings_form": settings_form,
        "tokens": ScimToken.objects.select_related("created_by"),
        "new_token": new_token,  # shown on this response only: only its digest is stored
        "scim_url": base_url(),
    }
    return render(request, "scim/settings.html", context, status=status)


@admin_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ScimToken, pk=pk)
    scim_token_revoke(token=token, revoked_by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("scim:settings")
