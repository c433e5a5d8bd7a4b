from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portevoix.accounts"
    label = "accounts"

    def ready(self) -> None:
        from portevoix.accounts import checks  # noqa: F401  (registers the system checks)
