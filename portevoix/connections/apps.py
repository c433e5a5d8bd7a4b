from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "portevoix.connections"
    label = "connections"

    def ready(self) -> None:
        from portevoix.connections import receivers  # noqa: F401
