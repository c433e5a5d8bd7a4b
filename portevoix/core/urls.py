from django.urls import path

from portevoix.core import pwa

# Mounted under the `core` names with the site pages of apps above core (portevoix/urls.py).
urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
