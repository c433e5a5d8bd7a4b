from django.urls import path

from portevoix.tracking.views import api, health, keys, links

app_name = "tracking"
urlpatterns = [
    path("links/", links.link_list, name="links"),
    path("links/<int:pk>/disable/", links.link_disable, name="link_disable"),
    path("links/<int:pk>/enable/", links.link_enable, name="link_enable"),
    path("keys/", keys.key_list, name="keys"),
    path("keys/<int:pk>/revoke/", keys.key_revoke, name="key_revoke"),
    path("health/", health.health, name="health"),
    path("health.json", health.health_json, name="health_json"),
    path("api/conversions", api.conversions_api, name="conversions_api"),
    path("api/conversions/script", api.conversions_script, name="conversions_script"),
]
