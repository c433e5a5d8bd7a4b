from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from portevoix.accounts.forms import LoginForm


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "accounts/rate_limited.html", status=429)


@method_decorator(
    ratelimit(key="post:username", rate=lambda g, r: settings.LOGIN_RATE, method="POST"),
    name="post",
)
@method_decorator(
    ratelimit(key="ip", rate=lambda g, r: settings.LOGIN_RATE, method="POST"), name="post"
)
class LoginView(auth_views.LoginView):
    """Log-in attempts are limited per e-mail and per address (hashed in the cache, never stored)."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        messages.error(self.request, _("Wrong e-mail or password."))
        return super().form_invalid(form)
