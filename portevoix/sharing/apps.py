from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portevoix.sharing"
    label = "sharing"

    def ready(self) -> None:
        from portevoix.sharing import signals  # noqa: F401 - connects the erasure receiver
