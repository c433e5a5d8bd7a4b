from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "portevoix.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from portevoix.webhooks import receivers  # noqa: F401 - listens to the lower apps
