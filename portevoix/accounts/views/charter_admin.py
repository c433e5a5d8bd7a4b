from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.charter import charter_publish, current_charter
from portevoix.accounts.forms import CharterForm
from portevoix.accounts.models import CharterAcceptance
from portevoix.core.audit import audit_record


@admin_required
def charter_admin(request: AuthenticatedRequest) -> HttpResponse:
    current = current_charter()
    initial = {"title": current.title, "text": current.text} if current else None
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = charter_publish(
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            published_by=request.user,
        )
        audit_record(actor=request.user, action="charter_published", target=version)
        messages.success(
            request,
            _("Version %(number)d published: ambassadors will be asked to accept it.")
            % {"number": version.number},
        )
        return redirect("accounts:charter_admin")
    acceptances = CharterAcceptance.objects.select_related("person", "version")[:500]
    return render(
        request,
        "accounts/charter_admin.html",
        {"form": form, "current": current, "acceptances": acceptances},
    )
