"""Background work: thin wrappers around the services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portevoix.veille.alerts import watches_check_alerts
from portevoix.veille.fetching import source_fetch, sources_fetch_due
from portevoix.veille.models import Source, Watch
from portevoix.veille.watches import watch_rematch


@db_periodic_task(crontab(minute="*"))
def fetch_due_sources() -> None:
    sources_fetch_due()
    # Also when nothing was fetched: an episode ends as its window slides past the negatives.
    watches_check_alerts()


@db_task()
def fetch_source(source_id: int) -> None:
    source = Source.objects.filter(pk=source_id, paused_at__isnull=True).first()
    if source is not None:
        source_fetch(source=source)


@db_task()
def rematch_watch(watch_id: int) -> None:
    watch = Watch.objects.filter(pk=watch_id).first()
    if watch is not None:
        watch_rematch(watch=watch)
