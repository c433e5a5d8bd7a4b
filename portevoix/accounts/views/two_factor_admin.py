"""The admin's side of two-factor log-in: require it of the pilot team, reset someone's."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.scopes import scope_of
from portevoix.accounts.two_factor import two_factor_disable, two_factor_enabled
from portevoix.accounts.two_factor_forms import PolicyForm
from portevoix.accounts.two_factor_policy import (
    pilots_without_two_factor,
    two_factor_policy,
    two_factor_policy_update,
)
from portevoix.core.audit import audit_record


@admin_required
def two_factor_policy_edit(request: AuthenticatedRequest) -> HttpResponse:
    policy = two_factor_policy()
    form = PolicyForm(
        # An unticked box sends nothing: the form is bound to every POST, even an empty one.
        request.POST if request.method == "POST" else None,
        initial={"required_for_pilots": policy.required_for_pilots},
    )
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["required_for_pilots"]
        two_factor_policy_update(required_for_pilots=required, by=request.user)
        if required:
            messages.success(
                request,
                _(
                    "Two-factor log-in is required: editors and administrators without it set it up before anything else."
                ),
            )
        else:
            messages.success(request, _("Two-factor log-in is optional for everybody."))
        return redirect("accounts:two_factor_policy")
    return render(
        request,
        "accounts/two_factor_policy.html",
        {"form": form, "policy": policy, "without": pilots_without_two_factor()},
    )


@admin_required
@require_POST
def person_two_factor_reset(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """For a person who lost their phone and their recovery codes."""
    person = get_object_or_404(scope_of(request.user).people(), pk=person_id)
    if person == request.user:
        messages.error(request, _("Turn your own two-factor log-in off from your profile."))
    elif not two_factor_enabled(person):
        messages.error(request, _("%(name)s has no two-factor log-in.") % {"name": person})
    else:
        two_factor_disable(person=person)
        audit_record(actor=request.user, action="two_factor_reset", target=person)
        messages.success(
            request,
            _("Two-factor log-in of %(name)s is reset: their password alone logs them in.")
            % {"name": person},
        )
    return redirect("accounts:person_edit", person_id=person.pk)
