"""Load the demo company once. Re-running does nothing unless --force is given on an empty base."""

import importlib
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from portevoix.core.demo import DEMO_PASSWORD, DemoWorld


class Command(BaseCommand):
    help = "Load demo data (a French company with people, content and activity), once."

    def handle(self, *args, **options) -> None:
        if get_user_model().objects.exists():
            self.stdout.write("Demo data already loaded (or real data present): nothing to do.")
            self._print_logins()
            return
        world = DemoWorld(rng=random.Random(42))
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("portevoix."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "build"):
                    module.build(world)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for role, email in [
            ("admin", "admin@lumiere-demo.fr"),
            ("editor", "editeur@lumiere-demo.fr"),
            ("ambassador", "ambassadrice@lumiere-demo.fr"),
            ("alumni", "alumni@lumiere-demo.fr"),
        ]:
            self.stdout.write(f"  {role:<11} {email}")
