"""A person's own pages: welcome, profile, joining or leaving the programme, the charter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.charter import (
    CharterError,
    charter_accept,
    current_charter,
    has_accepted,
    has_accepted_current_charter,
    render_markdown,
)
from portevoix.accounts.forms import ProfileForm
from portevoix.accounts.participation import ambassador_opt_in, ambassador_opt_out


@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """The step after the invitation: explain the programme and invite (never force) joining."""
    return render(request, "accounts/welcome.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def opt_in(request: AuthenticatedRequest) -> HttpResponse:
    ambassador_opt_in(person=request.user)
    messages.success(request, _("Thank you for joining the ambassador programme!"))
    if not has_accepted_current_charter(request.user):
        return redirect("accounts:charter")
    return redirect("core:home")


@login_required
@require_POST
def opt_out(request: AuthenticatedRequest) -> HttpResponse:
    ambassador_opt_out(person=request.user)
    messages.success(
        request,
        _(
            "You have left the ambassador programme. Nothing new is tracked; you can come back any time."
        ),
    )
    return redirect("accounts:profile")


@login_required
def charter(request: AuthenticatedRequest) -> HttpResponse:
    version = current_charter()
    if request.method == "POST":
        try:
            number = int(request.POST.get("version", ""))
            charter_accept(person=request.user, version_number=number)
        except (ValueError, CharterError):
            messages.error(
                request,
                _("This version of the charter is no longer current: please read the new one."),
            )
            return redirect("accounts:charter")
        messages.success(request, _("Thank you: you have accepted the charter."))
        return redirect("core:home")
    return render(
        request,
        "accounts/charter.html",
        {
            "charter": version,
            "charter_html": render_markdown(version.text) if version else "",
            "accepted": has_accepted(request.user, version),
        },
    )
