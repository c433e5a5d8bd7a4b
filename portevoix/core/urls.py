from django.urls import path

from portevoix.core.views import manifest

# Mounted under the `core` names with the site pages of apps above core (portevoix/urls.py).
urlpatterns = [
    path("manifest.webmanifest", manifest.manifest, name="manifest"),
]
