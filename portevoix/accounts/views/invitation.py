from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portevoix.accounts.invitations import InvitationError, invitation_accept, invitation_for_token
from portevoix.accounts.login_limits import device_remember
from portevoix.accounts.login_routes import password_refusal


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    person = invitation.person
    assert person is not None  # invitation_for_token returns only invitations of a person
    form = SetPasswordForm(person, request.POST or None)
    # Where the company signs this address in (mandatory single sign-on, login_routes.py), the
    # invitation sets no password: the person signs in through their company instead.
    refusal = password_refusal(person.email)
    if refusal is not None:
        messages.info(request, refusal)
        return redirect("accounts:login")
    if request.method == "POST" and form.is_valid():
        try:
            person = invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationError:
            return render(request, "accounts/invitation_invalid.html", status=410)
        login(request, person, backend="portevoix.accounts.backends.EmailBackend")
        translation.activate(person.language)
        messages.success(request, _("Welcome! Your account is ready."))
        response = redirect("accounts:welcome")
        device_remember(response, email=person.email)
        return response
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
