from django.urls import path

from portevoix.analytics.views import dashboard, exports, rates

app_name = "analytics"
urlpatterns = [
    path("", dashboard.programme, name="dashboard"),
    path("rankings/", dashboard.programme, {"section": "rankings"}, name="rankings"),
    path("health/", dashboard.programme, {"section": "health"}, name="health"),
    path("export/<slug:slug>.<str:fmt>", exports.programme_export, name="export"),
    path("mine/", dashboard.mine, name="mine"),
    path("mine/export/<slug:slug>.<str:fmt>", exports.mine_export, name="mine_export"),
    path("rates/", rates.rates, name="rates"),
]
