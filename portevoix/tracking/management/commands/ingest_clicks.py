"""Drain the click inbox now (the worker does it on its own every few seconds)."""

from django.core.management.base import BaseCommand

from portevoix.tracking.ingest import clicks_ingest


class Command(BaseCommand):
    help = "Classify the clicks waiting in the inbox, store them and add them to the rollups."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--max-batches", type=int, default=None)

    def handle(self, *args, batch_size=None, max_batches=None, **options) -> None:
        def progress(batches: int, consumed: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"batch {batches}: {consumed} raw clicks", ending="\n")
                self.stdout.flush()

        report = clicks_ingest(batch_size=batch_size, max_batches=max_batches, on_batch=progress)
        self.stdout.write(
            f"{report.raw} raw clicks ingested in {report.batches} batches, "
            f"{report.stored} stored: {report.by_kind}"
        )
