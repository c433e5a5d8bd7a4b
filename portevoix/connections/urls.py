from django.urls import path

from portevoix.connections.views import admin, mine, publish

app_name = "connections"
urlpatterns = [
    path("", mine.mine, name="mine"),
    path("settings/", admin.connections_settings, name="settings"),
    path("publications/<int:publication_id>/cancel/", mine.cancel, name="cancel"),
    path("publish/<int:post_id>/<str:network>/", publish.publish, name="publish"),
    path("<int:connection_id>/disconnect/", mine.disconnect, name="disconnect"),
    path("<str:network>/connect/", mine.connect, name="connect"),
    path("<str:network>/callback/", mine.callback, name="callback"),
]
