from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "portevoix.tracking"
    label = "tracking"
