from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "portevoix.tracking"
    label = "tracking"

    def ready(self) -> None:
        from portevoix.tracking import receivers  # noqa: F401  (connects them)
