from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "portevoix.gamification"
    label = "gamification"

    def ready(self) -> None:
        from portevoix.gamification import receivers  # noqa: F401
