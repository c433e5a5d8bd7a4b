from django.apps import AppConfig


class VeilleConfig(AppConfig):
    name = "portevoix.veille"
    label = "veille"
