from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "portevoix.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from portevoix.core.retention import retention_register
        from portevoix.webhooks import receivers  # noqa: F401 - listens to the lower apps
        from portevoix.webhooks.retention import KINDS

        for kind in KINDS:
            retention_register(kind)
