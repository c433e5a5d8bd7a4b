from django.urls import path

from portevoix.analytics.views import brand, dashboard, exports, rates, report, transparency

app_name = "analytics"
urlpatterns = [
    path("", dashboard.programme, name="dashboard"),
    path("rankings/", dashboard.programme, {"section": "rankings"}, name="rankings"),
    path("health/", dashboard.programme, {"section": "health"}, name="health"),
    path("export/<slug:slug>.<str:fmt>", exports.programme_export, name="export"),
    path("mine/", dashboard.mine, name="mine"),
    path("mine/export/<slug:slug>.<str:fmt>", exports.mine_export, name="mine_export"),
    path("rates/", rates.rates, name="rates"),
    path("about-me/", transparency.about_me, name="about_me"),
    path("my-brand.zip", brand.brand_export, name="brand_export"),
    path("my-brand/<str:token>.zip", brand.brand_export_by_link, name="brand_export_link"),
    path("figures-report.json", report.figures_report, name="figures_report"),
    path("figures-key.pem", report.figures_key, name="figures_key"),
]
