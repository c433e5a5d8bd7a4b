"""People's data requests (GDPR), run for them by an admin or a data-protection officer: the
export and the erasure are the self-service ones (accounts/privacy.py), recorded in the audit
log with who ran them."""

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, data_protection_required
from portevoix.accounts.models import Person, Role
from portevoix.accounts.privacy import ErasureError, person_erase
from portevoix.accounts.scopes import scope_of
from portevoix.accounts.views.privacy import export_download
from portevoix.core.audit import audit_record


class FindForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail of the person who asks"))


class EraseForm(forms.Form):
    confirm = forms.EmailField(label=gettext_lazy("Type their e-mail again to confirm"))
    reference = forms.CharField(
        label=gettext_lazy("Reference of the request (ticket, letter)"),
        max_length=100,
        required=False,
    )


def _requesters(request: AuthenticatedRequest) -> QuerySet[Person]:
    """The people whose requests this officer may run: those of their entity scope (an admin
    limited to Paris sees Paris's people on the people page, and no one else's data here)."""
    return scope_of(request.user).people()


@data_protection_required
def data_requests(request: AuthenticatedRequest) -> HttpResponse:
    form = FindForm(request.GET or None)
    person = None
    if form.is_bound and form.is_valid():
        person = _requesters(request).filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", _("Nobody has this e-mail address."))
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/data_requests.html",
        {"form": form, "person": person, "erase_form": EraseForm()},
        status=status,
    )


@data_protection_required
@require_POST
def data_request_export(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(_requesters(request), pk=person_id)
    response = export_download(person=person)
    # After the file is made: the file is the one the person would download themself.
    audit_record(
        actor=request.user,
        action="data_exported_on_request",
        target=person,
        reference=request.POST.get("reference", "")[:100] or "-",
    )
    return response


@data_protection_required
@require_POST
def data_request_erase(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(_requesters(request), pk=person_id)
    form = EraseForm(request.POST)
    again = f"{redirect('accounts:data_requests').url}?email={person.email}"
    if not form.is_valid() or form.cleaned_data["confirm"].lower() != person.email.lower():
        messages.error(request, _("The e-mail typed to confirm is not theirs: nothing was erased."))
        return redirect(again)
    if person == request.user:
        messages.error(request, _("Erase your own account from your data page."))
        return redirect(again)
    if person.role == Role.ADMIN and request.user.role != Role.ADMIN:
        # An officer who is not an admin would otherwise remove the admins one by one.
        messages.error(request, _("Only an administrator may erase an administrator's account."))
        return redirect(again)
    domain = person.email.rsplit("@", 1)[-1]
    try:
        person_erase(person=person)
    except ErasureError:
        messages.error(
            request,
            _("This is the last administrator: name another one before erasing this account."),
        )
        return redirect(again)
    audit_record(
        actor=request.user,
        action="account_erased_on_request",
        target=domain,
        reference=form.cleaned_data["reference"] or "-",
    )
    messages.success(request, _("The account and its personal data are erased."))
    return redirect("accounts:data_requests")
