from django.urls import path

from portevoix.notifications.views import channels, inbox

app_name = "notifications"
urlpatterns = [
    path("", inbox.notification_list, name="list"),
    path("read/", inbox.notification_mark_read, name="mark_read"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe_view, name="unsubscribe"),
    path("channels/", channels.channel_list, name="channels"),
    path("channels/<int:channel_id>/", channels.channel_action, name="channel_action"),
    path("settings/", channels.notification_settings, name="settings"),
]
