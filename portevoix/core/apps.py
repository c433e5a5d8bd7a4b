from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portevoix.core"
    label = "core"

    def ready(self) -> None:
        from portevoix.core import checks  # noqa: F401 - registers the start-up checks
        from portevoix.core.periodic import periodic_hooks_register

        periodic_hooks_register()
