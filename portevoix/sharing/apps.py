from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portevoix.sharing"
    label = "sharing"
