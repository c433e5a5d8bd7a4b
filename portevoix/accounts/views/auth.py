from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from portevoix.accounts.forms import LoginForm, ResetForm
from portevoix.core.addresses import request_address


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/rate_limited.html", status=429)


def _email_key(group: str, request: HttpRequest) -> str:
    field = "email" if "email" in request.POST else "username"
    return request.POST.get(field, "").strip().lower()


def _address_key(group: str, request: HttpRequest) -> str:
    return request_address(request)


# Counted per e-mail and per client address (both hashed into cache keys, never stored).
def _limits(name: str) -> tuple[tuple[str, Callable], ...]:
    return ((f"accounts-{name}-email", _email_key), (f"accounts-{name}-address", _address_key))


def limit_reached(request: HttpRequest, name: str) -> bool:
    for group, key in _limits(name):
        usage = get_usage(
            request, group=group, key=key, rate=settings.LOGIN_RATE, method=ALL, increment=False
        )
        if usage is None:  # the cache failed and RATELIMIT_FAIL_OPEN says let it through
            continue
        if usage["should_limit"] or usage["count"] >= usage["limit"]:
            return True
    return False


def limit_count(request: HttpRequest, name: str) -> None:
    for group, key in _limits(name):
        get_usage(
            request, group=group, key=key, rate=settings.LOGIN_RATE, method=ALL, increment=True
        )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Only failures count: a whole office behind one address logs in freely.
        if limit_reached(request, "login"):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limit_count(self.request, "login")
        messages.error(self.request, _("Wrong e-mail or password."))
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Every request counts: each one may send an e-mail."""

    template_name = "accounts/password_reset.html"
    form_class = ResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if limit_reached(request, "password-reset"):
            return rate_limited(request)
        limit_count(request, "password-reset")
        return super().post(request, *args, **kwargs)
