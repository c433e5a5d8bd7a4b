from django.urls import path

from portevoix.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.programme, name="dashboard"),
    path("rankings/", views.programme, {"section": "rankings"}, name="rankings"),
    path("health/", views.programme, {"section": "health"}, name="health"),
    path("export/<slug:slug>.<str:fmt>", views.programme_export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("mine/export/<slug:slug>.<str:fmt>", views.mine_export, name="mine_export"),
    path("rates/", views.rates, name="rates"),
]
