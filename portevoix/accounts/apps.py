from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portevoix.accounts"
    label = "accounts"
