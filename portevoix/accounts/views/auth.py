from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from portevoix.accounts.forms import LoginForm
from portevoix.core.addresses import request_address


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/rate_limited.html", status=429)


def _email_key(group: str, request: HttpRequest) -> str:
    return request.POST.get("username", "").strip().lower()


def _address_key(group: str, request: HttpRequest) -> str:
    return request_address(request)


# Failed log-ins are counted per e-mail and per client address (both hashed into cache keys,
# never stored). Successful ones are not: a whole office behind one address logs in freely.
LOGIN_LIMITS = (
    ("accounts-login-email", _email_key),
    ("accounts-login-address", _address_key),
)


def login_failures_exceeded(request: HttpRequest) -> bool:
    for group, key in LOGIN_LIMITS:
        usage = get_usage(
            request, group=group, key=key, rate=settings.LOGIN_RATE, method=ALL, increment=False
        )
        if usage is None:  # the cache failed and RATELIMIT_FAIL_OPEN says let it through
            continue
        if usage["should_limit"] or usage["count"] >= usage["limit"]:
            return True
    return False


def login_failure_count(request: HttpRequest) -> None:
    for group, key in LOGIN_LIMITS:
        get_usage(
            request, group=group, key=key, rate=settings.LOGIN_RATE, method=ALL, increment=True
        )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if login_failures_exceeded(request):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failure_count(self.request)
        messages.error(self.request, _("Wrong e-mail or password."))
        return super().form_invalid(form)
