"""Fetch the veille sources that are due now (what the worker does every minute)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portevoix.veille.alerts import watches_check_alerts
from portevoix.veille.fetching import sources_fetch_due
from portevoix.veille.models import Source


class Command(BaseCommand):
    help = "Fetch the veille sources that are due (--all: every source that is not paused)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="fetch every active source now")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        if options["all"]:
            Source.objects.filter(paused_at__isnull=True).update(next_fetch_at=now)
        outcomes = sources_fetch_due(now=now)
        names = dict(Source.objects.filter(pk__in=outcomes).values_list("pk", "name"))
        for source_id, outcome in outcomes.items():
            if outcome.ok:
                state = "not modified" if outcome.not_modified else f"{outcome.new_items} new"
            else:
                state = f"error: {outcome.error}"
            self.stdout.write(f"{names.get(source_id, source_id)}: {state}")
        alerts = watches_check_alerts(now=now)
        self.stdout.write(f"{len(outcomes)} source(s) fetched, {len(alerts)} alert(s) raised.")
