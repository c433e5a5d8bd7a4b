"""The admin's pages for identity providers and their group rules (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.core.audit import audit_change, audit_record, model_snapshot
from portevoix.identity.forms import GroupRuleForm, ProviderForm
from portevoix.identity.models import GroupRule, IdentityProvider, ProviderKind
from portevoix.identity.oidc import redirect_uri
from portevoix.identity.saml import saml_urls


@admin_required
def provider_list(request: AuthenticatedRequest) -> HttpResponse:
    providers = IdentityProvider.objects.prefetch_related("group_rules__group")
    return render(request, "identity/providers.html", {"providers": providers})


@admin_required
def provider_new(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    if kind not in ProviderKind.values:
        raise Http404
    form = ProviderForm(request.POST or None, kind=kind, granter=request.user)
    if request.method == "POST" and form.is_valid():
        provider = form.save()
        audit_change(
            actor=request.user,
            action="identity_provider_added",
            target=provider,
            before={},
            after=model_snapshot(provider),
        )
        messages.success(request, _("Saved."))
        return redirect("identity:provider_edit", provider.pk)
    return render(request, "identity/provider_edit.html", {"form": form, "kind": kind})


@admin_required
def provider_edit(request: AuthenticatedRequest, provider_id: int) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=provider_id)
    before = model_snapshot(provider)
    form = ProviderForm(
        request.POST or None, instance=provider, kind=provider.kind, granter=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_change(
            actor=request.user,
            action="identity_provider_changed",
            target=provider,
            before=before,
            after=model_snapshot(provider),
        )
        messages.success(request, _("Saved."))
        return redirect("identity:provider_edit", provider.pk)
    context = {
        "form": form,
        "provider": provider,
        "kind": provider.kind,
        "rule_form": GroupRuleForm(provider=provider),
        "redirect_uri": redirect_uri(provider),
        "saml_urls": saml_urls(provider) if provider.kind == ProviderKind.SAML else None,
    }
    return render(request, "identity/provider_edit.html", context)


@admin_required
@require_POST
def provider_delete(request: AuthenticatedRequest, provider_id: int) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=provider_id)
    audit_record(actor=request.user, action="identity_provider_deleted", target=provider)
    provider.delete()
    messages.success(request, _("The provider is deleted; its people keep their accounts."))
    return redirect("identity:providers")


@admin_required
@require_POST
def rule_add(request: AuthenticatedRequest, provider_id: int) -> HttpResponse:
    provider = get_object_or_404(IdentityProvider, pk=provider_id)
    form = GroupRuleForm(request.POST, provider=provider)
    if form.is_valid():
        rule = form.save()
        audit_record(actor=request.user, action="identity_rule_added", target=provider, rule=rule)
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("identity:provider_edit", provider.pk)


@admin_required
@require_POST
def rule_delete(request: AuthenticatedRequest, provider_id: int, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(GroupRule, pk=rule_id, provider_id=provider_id)
    audit_record(
        actor=request.user, action="identity_rule_deleted", target=rule.provider, rule=rule
    )
    rule.delete()
    messages.success(request, _("Saved."))
    return redirect("identity:provider_edit", provider_id)
