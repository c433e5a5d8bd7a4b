from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "portevoix.analytics"
    label = "analytics"
