from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portevoix.api"
    label = "api"
