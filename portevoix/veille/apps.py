from django.apps import AppConfig


class VeilleConfig(AppConfig):
    name = "portevoix.veille"
    label = "veille"

    def ready(self) -> None:
        from portevoix.core.retention import retention_register
        from portevoix.veille.retention import KINDS

        for kind in KINDS:
            retention_register(kind)
