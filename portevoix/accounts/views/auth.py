from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from portevoix.accounts.forms import LoginForm, ResetForm
from portevoix.accounts.login_limits import (
    attempt_begin,
    attempt_give_back,
    device_for,
    device_remember,
)
from portevoix.accounts.login_routes import (
    login_hints,
    login_route_response,
    logout_route_url,
    password_refusal,
)
from portevoix.accounts.two_factor_login import two_factor_login_begin, two_factor_login_needed
from portevoix.core.addresses import request_address


def rate_limited(request: HttpRequest, retry_after: int = 60) -> HttpResponse:
    minutes = max(1, -(-retry_after // 60))
    response = render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class LoginView(auth_views.LoginView):
    """Log-in with the limits of accounts/login_limits.py: only wrong passwords use them."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "login_hints": login_hints()}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("username", "")
        # E-mail first: single sign-on (identity, registered in accounts/login_routes.py) may
        # send this e-mail to its company's provider, or refuse its password, before any count.
        routed = login_route_response(
            request, email=email, password=request.POST.get("password", "")
        )
        if routed is not None:
            return routed
        # The place is taken before the password is checked: simultaneous attempts cannot all
        # slip under the limit.
        self.attempt = attempt_begin(
            action="login",
            email=email,
            address=request_address(request),
            device=device_for(request, email),
        )
        if self.attempt.refused:
            return rate_limited(request, self.attempt.retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        person = form.get_user()
        if two_factor_login_needed(person):  # two-factor hook: the code comes before login()
            attempt_give_back(attempt=self.attempt)
            two_factor_login_begin(
                self.request, person=person, backend=person.backend, next_url=self.get_success_url()
            )
            return redirect("accounts:two_factor_verify")
        response = super().form_valid(form)
        attempt_give_back(attempt=self.attempt)
        device_remember(response, email=form.get_user().email)
        return response

    def form_invalid(self, form) -> HttpResponse:
        messages.error(self.request, _("Wrong e-mail or password."))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Ends the session here; a single sign-on provider may then end its own (login_routes)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        onward = logout_route_url(request)  # read before the session is gone
        response = super().post(request, *args, **kwargs)
        return redirect(onward) if onward else response


class PasswordResetView(auth_views.PasswordResetView):
    """Every request counts: each one may send an e-mail."""

    template_name = "accounts/password_reset.html"
    form_class = ResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A reset link logs in with a new password: not for an address whose company requires
        # single sign-on (login_routes.py).
        refusal = password_refusal(request.POST.get("email", ""))
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("accounts:login")
        attempt = attempt_begin(
            action="password-reset",
            email=request.POST.get("email", ""),
            address=request_address(request),
        )
        if attempt.refused:
            return rate_limited(request, attempt.retry_after)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link in the e-mail proves the address: it logs the person in, whatever the limits."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("core:home")
    post_reset_login = True

    def form_valid(self, form) -> HttpResponse:
        # A link sent before the company made single sign-on mandatory must not set a password
        # the log-in page would then refuse (login_routes.py): nothing changes.
        refusal = password_refusal(form.user.email)
        if refusal is not None:
            messages.error(self.request, refusal)
            return redirect("accounts:login")
        if two_factor_login_needed(form.user):  # two-factor hook: the link proves the e-mail only
            self.post_reset_login = False
            super().form_valid(form)
            two_factor_login_begin(
                self.request,
                person=form.user,
                backend=self.post_reset_login_backend or settings.AUTHENTICATION_BACKENDS[0],
                next_url=str(self.success_url),
            )
            return redirect("accounts:two_factor_verify")
        response = super().form_valid(form)
        device_remember(response, email=form.user.email)
        return response
