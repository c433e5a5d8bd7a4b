from django.urls import path

from portevoix.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_mark_read, name="mark_read"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/<int:channel_id>/", views.channel_action, name="channel_action"),
    path("settings/", views.notification_settings, name="settings"),
]
