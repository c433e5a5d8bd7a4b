"""Periodic tasks run once a minute however many workers schedule them, and each run is recorded.

Every Huey consumer started without `--no-periodic` enqueues the periodic tasks due each minute,
and a consumer killed and restarted within a minute enqueues them again. So that every worker
can be started the same way (no single scheduling node whose loss stops periodic work) and a
restart does not double the work, a run first claims its (task, minute) row in `PeriodicRun`:
the unique constraint lets one run per minute through, the others are cancelled before they
start. The rows are also what `manage.py status` and the health page show (last run of each
task). Tasks queued for once (`db_task`) are not concerned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.api import PeriodicTask, Task
from huey.contrib.djhuey import HUEY
from huey.exceptions import CancelExecution

from portevoix.core.models import PeriodicRun

KEEP = timedelta(days=2)  # runs older than this are deleted as new ones start


def periodic_run_start(task: str, now: datetime | None = None) -> PeriodicRun | None:
    """Claim this minute's run of `task`: the new run, or None if the minute is taken."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(task=task, minute=minute, started_at=now)
    except IntegrityError:
        PeriodicRun.objects.filter(task=task, minute=minute).update(duplicates=F("duplicates") + 1)
        return None
    PeriodicRun.objects.filter(task=task, minute__lt=minute - KEEP).delete()
    return run


def periodic_run_finish(run_id: int, *, failed: bool, now: datetime | None = None) -> None:
    PeriodicRun.objects.filter(pk=run_id).update(finished_at=now or timezone.now(), failed=failed)


def periodic_task_name(task_class: type[Task]) -> str:
    """`app.tasks.function`: what runs are recorded under."""
    return f"{task_class.__module__}.{task_class.__name__}"


def periodic_tasks() -> list[str]:
    """The names of every periodic task."""
    autodiscover_modules("tasks")  # as `run_huey` does: every app's tasks are registered
    return sorted(periodic_task_name(type(task)) for task in HUEY._registry.periodic_tasks)


def periodic_runs_latest() -> dict[str, PeriodicRun | None]:
    """Each periodic task's latest run (None: not run in the last KEEP)."""
    return {
        name: PeriodicRun.objects.filter(task=name).order_by("-minute").first()
        for name in periodic_tasks()
    }


# --- Huey hooks (registered by CoreConfig.ready) ----------------------------------------------

_running: dict[str, int] = {}  # task id -> PeriodicRun id, between the two hooks


def _before(task: Task) -> None:
    if not isinstance(task, PeriodicTask) or HUEY.immediate:
        return  # tests call periodic tasks inline, as often as they need
    run = periodic_run_start(periodic_task_name(type(task)))
    if run is None:
        raise CancelExecution(retry=False)
    _running[task.id] = run.pk


def _after(task: Task, value: object, exception: BaseException | None) -> None:
    run_id = _running.pop(task.id, None)
    if run_id is not None:
        periodic_run_finish(run_id, failed=exception is not None)


def periodic_hooks_register() -> None:
    HUEY.pre_execute(name="periodic_run_start")(_before)
    HUEY.post_execute(name="periodic_run_finish")(_after)
