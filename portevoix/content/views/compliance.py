from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.content.compliance import compliance_settings, compliance_update
from portevoix.content.forms import ApprovalForm, ComplianceForm
from portevoix.content.review import approval_set, approval_settings
from portevoix.core.audit import audit_record


@admin_required
def compliance_edit(request: AuthenticatedRequest) -> HttpResponse:
    current = compliance_settings()
    form = ComplianceForm(
        request.POST or None,
        initial={"blocked_words": current.blocked_words, "disclosure_tag": current.disclosure_tag},
    )
    if request.method == "POST":
        if form.is_valid():
            compliance_update(
                blocked_words=form.cleaned_data["blocked_words"],
                disclosure_tag=form.cleaned_data["disclosure_tag"],
                by=request.user,
            )
            messages.success(request, _("Compliance rules saved: they apply to every new share."))
            return redirect("content:compliance")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "content/compliance.html", {"form": form, "current": current})


@admin_required
def approval_edit(request: AuthenticatedRequest) -> HttpResponse:
    current = approval_settings()
    # Bound on every POST: an unticked box sends nothing, and that means "off".
    form = ApprovalForm(
        request.POST if request.method == "POST" else None,
        initial={"approval_required": current.approval_required},
    )
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["approval_required"]
        before = current.approval_required
        approval_set(required=required, by=request.user)
        audit_record(
            actor=request.user, action="approval_setting_changed", before=before, after=required
        )
        messages.success(
            request,
            _("Four-eyes approval is on.") if required else _("Four-eyes approval is off."),
        )
        return redirect("content:approval")
    return render(request, "content/approval.html", {"form": form, "current": current})
