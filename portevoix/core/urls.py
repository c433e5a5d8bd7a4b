from django.urls import path

from portevoix.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
