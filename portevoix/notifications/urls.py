from django.urls import path

from portevoix.notifications.push import views as push_views
from portevoix.notifications.views import channels, inbox

app_name = "notifications"
urlpatterns = [
    path("", inbox.notification_list, name="list"),
    path("read/", inbox.notification_mark_read, name="mark_read"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe_view, name="unsubscribe"),
    path("channels/", channels.channel_list, name="channels"),
    path("channels/<int:channel_id>/", channels.channel_action, name="channel_action"),
    path("settings/", channels.notification_settings, name="settings"),
    path("push/subscribe/", push_views.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push_views.push_unsubscribe, name="push_unsubscribe"),
    path(
        "push/devices/<int:device_id>/remove/",
        push_views.push_device_remove,
        name="push_device_remove",
    ),
]
