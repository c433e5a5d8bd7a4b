from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portevoix.notifications"
    label = "notifications"

    def ready(self) -> None:
        from portevoix.notifications import receivers  # noqa: F401
