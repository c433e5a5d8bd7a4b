from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "portevoix.gamification"
    label = "gamification"
