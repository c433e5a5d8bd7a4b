"""The worker (`manage.py run_huey`) registers the tasks of every app's `tasks` module and
nothing else: a task defined elsewhere is enqueued by the web process but unknown to the worker,
which drops it ("not found in TaskRegistry")."""

import contextlib
import importlib

from django.apps import apps
from huey.contrib.djhuey import HUEY


def test_every_task_lives_in_a_tasks_module():
    for config in apps.get_app_configs():
        if config.name.startswith("portevoix."):
            for module in ("views", "urls", "receivers", "send", "services"):
                with contextlib.suppress(ModuleNotFoundError):
                    importlib.import_module(f"{config.name}.{module}")
    names = list(HUEY._registry._registry)
    ours = [name for name in names if name.startswith("portevoix.")]
    assert ours, names
    assert [name for name in ours if ".tasks." not in name] == []
