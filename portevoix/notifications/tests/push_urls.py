"""The site's URLs plus a minimal service worker at /sw.js for the browser test: it loads
push-sw.js as the site's own service worker does."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portevoix.urls import urlpatterns as site_urlpatterns


def service_worker(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        'importScripts("/static/portevoix/push-sw.js");', content_type="text/javascript"
    )


urlpatterns = [path("sw.js", service_worker), *site_urlpatterns]
