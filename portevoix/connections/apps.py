from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "portevoix.connections"
    label = "connections"
