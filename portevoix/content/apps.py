from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "portevoix.content"
    label = "content"
