"""The platform's URLs plus two pages that fail, for the error-page tests: what a crash or a
forged request looks like to a visitor, without replacing any of the platform's own code."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from portevoix.urls import *  # noqa: F403  (the real pages and error handlers)
from portevoix.urls import urlpatterns as platform_urlpatterns


def crashing(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the charter table is gone")


def forged(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("forged")


urlpatterns = [
    path("test-only/crash/", crashing),
    path("test-only/forged/", forged),
    *platform_urlpatterns,
]
