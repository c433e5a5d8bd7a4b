from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portevoix.notifications"
    label = "notifications"

    def ready(self) -> None:
        from portevoix.core.retention import retention_register
        from portevoix.notifications import receivers  # noqa: F401
        from portevoix.notifications.retention import KINDS

        for kind in KINDS:
            retention_register(kind)
