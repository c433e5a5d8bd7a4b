from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "portevoix.analytics"
    label = "analytics"

    def ready(self) -> None:
        from portevoix.analytics import receivers  # noqa: F401  (connects them)
