from django.urls import path

from portevoix.core import pwa, views, views_audit

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
