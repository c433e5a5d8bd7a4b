from django.urls import path

from portevoix.core import views, views_audit

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
