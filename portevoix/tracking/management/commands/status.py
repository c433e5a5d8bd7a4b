"""`manage.py status`: the inbox backlog, the ingestion lag, the queue and the periodic tasks."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from portevoix.tracking.status import platform_status


class Command(BaseCommand):
    help = "Show the click inbox backlog, the ingestion lag, the task queue and the last run of each periodic task."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="One JSON document.")

    def handle(self, *args, **options) -> None:
        status = platform_status()
        if options["json"]:
            self.stdout.write(json.dumps(status.as_dict(), indent=2))
            return
        inbox = status.inbox
        files = f" in {inbox.segments} segment files" if inbox.segments is not None else ""
        if inbox.unshipped is not None:
            files = f" ({inbox.unshipped} of them not shipped yet from this node)"
        lag = "none" if status.lag_seconds is None else f"{status.lag_seconds:.1f} s"
        queue = "unreachable" if status.queue_pending is None else str(status.queue_pending)
        lines = [
            f"click inbox ({inbox.backend}): {inbox.clicks} clicks waiting{files}",
            f"ingestion lag: {lag}",
            f"task queue: {queue} tasks waiting",
            "periodic tasks (last run):",
        ]
        for name, run in status.periodic.items():
            if run is None:
                lines.append(f"  {name}: not run in the last two days")
                continue
            started = timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
            if run.finished_at is None:
                state = "running or interrupted"
            else:
                took = (run.finished_at - run.started_at).total_seconds()
                state = f"{'failed' if run.failed else 'done'} in {took:.1f} s"
            lines.append(f"  {name}: {started}, {state}")
        self.stdout.write("\n".join(lines))
