from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portevoix.notifications"
    label = "notifications"
