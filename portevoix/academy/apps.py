from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "portevoix.academy"
    label = "academy"
