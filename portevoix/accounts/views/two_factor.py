"""A person's two-factor log-in: the code after the password, setting up the app, recovery
codes, turning it off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.login_limits import (
    attempt_begin,
    attempt_give_back,
    device_for,
    device_remember,
)
from portevoix.accounts.two_factor import (
    CodeRefused,
    recovery_codes_renew,
    two_factor_check,
    two_factor_confirm,
    two_factor_disable,
    two_factor_enabled,
    two_factor_qr_svg,
    two_factor_secret,
    two_factor_setup_begin,
)
from portevoix.accounts.two_factor_forms import CodeForm, PasswordConfirmForm, SetupCodeForm
from portevoix.accounts.two_factor_login import (
    PENDING_KEY,
    two_factor_login_complete,
    two_factor_pending,
)
from portevoix.accounts.two_factor_policy import two_factor_required
from portevoix.accounts.views.auth import rate_limited
from portevoix.core.addresses import request_address


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the log-in, for a person whose password was right."""
    if request.user.is_authenticated:
        return redirect("core:home")
    had_pending = PENDING_KEY in request.session
    pending = two_factor_pending(request)
    if pending is None:
        if had_pending:
            messages.error(
                request, _("Your log-in took too long: please enter your password again.")
            )
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = pending.person.email
        # Wrong codes count like wrong passwords, on the same counters' rules.
        attempt = attempt_begin(
            action="two-factor",
            email=email,
            address=request_address(request),
            device=device_for(request, email),
        )
        if attempt.refused:
            return rate_limited(request, attempt.retry_after)
        try:
            accepted = two_factor_check(person=pending.person, code=form.cleaned_data["code"])
        except CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            attempt_give_back(attempt=attempt)
            two_factor_login_complete(request, pending=pending)
            if accepted.recovery_codes_left is not None:
                messages.warning(
                    request,
                    _("You used a recovery code: %(left)d left. Make new ones from your profile.")
                    % {"left": accepted.recovery_codes_left},
                )
            response = redirect(pending.next_url)
            device_remember(response, email=email)
            return response
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@never_cache
@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Scan the QR code, type a code: from the next log-in, the app's code is asked."""
    person = request.user
    if two_factor_enabled(person):
        messages.info(request, _("Two-factor log-in is already on."))
        return redirect("accounts:profile")
    two_factor = two_factor_setup_begin(person=person)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_confirm(person=person, code=form.cleaned_data["code"])
        except CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            messages.success(request, _("Two-factor log-in is on."))
            return _recovery_codes_page(request, codes)
    secret = two_factor_secret(two_factor)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor_qr_svg(
                two_factor=two_factor, title=_("QR code to scan with your authenticator app")
            ),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": two_factor_required(person),
        },
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # Shown once, in the answer itself: they are stored nowhere in clear, not even the session.
    response = render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes})
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def recovery_codes_new(request: AuthenticatedRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST, person=request.user)
    if not two_factor_enabled(request.user):
        messages.error(request, _("Two-factor log-in is not on."))
        return redirect("accounts:profile")
    if not form.is_valid():
        messages.error(request, _("Wrong password: your recovery codes were not changed."))
        return redirect("accounts:profile")
    codes = recovery_codes_renew(person=request.user)
    messages.success(request, _("New recovery codes: the previous ones no longer work."))
    return _recovery_codes_page(request, codes)


@login_required
@require_POST
def two_factor_off(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    if two_factor_required(person):
        messages.error(
            request,
            _("Two-factor log-in is required for your role: it cannot be turned off."),
        )
        return redirect("accounts:profile")
    form = PasswordConfirmForm(request.POST, person=person)
    if not form.is_valid():
        messages.error(request, _("Wrong password: two-factor log-in is still on."))
        return redirect("accounts:profile")
    two_factor_disable(person=person)
    messages.success(request, _("Two-factor log-in is off: your password alone logs you in."))
    return redirect("accounts:profile")
