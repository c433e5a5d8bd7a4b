from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "portevoix.tracking"
    label = "tracking"

    def ready(self) -> None:
        from portevoix.core.retention import retention_register
        from portevoix.tracking import receivers  # noqa: F401  (connects them)
        from portevoix.tracking.retention import KINDS

        for kind in KINDS:
            retention_register(kind)
