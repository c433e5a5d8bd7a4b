"""A person's own data: download it, or erase the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Person
from portevoix.accounts.privacy import ErasureError, person_erase, person_export_file
from portevoix.core.audit import audit_record


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@login_required
def my_data_export(request: AuthenticatedRequest) -> HttpResponse:
    return export_download(person=request.user)


def export_download(*, person: Person) -> HttpResponse:
    data, name = person_export_file(person=person)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def erasure_refused(person: Person, form: QueryDict) -> str:
    """Why the erasure is not confirmed (empty: it is). Confirmed by their password; or, for
    someone who has none (signing in through single sign-on, or provisioned and never given
    one), by their e-mail address typed out: without it they could not erase their own
    account at all."""
    if person.has_usable_password():
        if person.check_password(form.get("password", "")):
            return ""
        return _("Wrong password: your account was not erased.")
    typed = form.get("email", "").strip()
    if typed and typed.casefold() == person.email.casefold():
        return ""
    return _("This is not your account's e-mail address: your account was not erased.")


@login_required
@require_POST
def my_account_erase(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    refused = erasure_refused(person, request.POST)
    if refused:
        messages.error(request, refused)
        return redirect("accounts:my_data")
    email = person.email
    try:
        person_erase(person=person)
    except ErasureError:
        messages.error(
            request,
            _("You are the last administrator: name another one before erasing your account."),
        )
        return redirect("accounts:my_data")
    audit_record(actor=None, action="account_erased", target=email.split("@")[-1])
    logout(request)
    messages.success(request, _("Your account and your personal data are erased."))
    return redirect("accounts:login")
