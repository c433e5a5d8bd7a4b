"""How long each kind of data is kept, and the daily purge (docs/governance.md, "Retention").

Each app registers the kinds it keeps in its `AppConfig.ready()` with `retention_register`: a
default duration, the bounds an admin may choose within, and the function that removes what is
older than a cut-off and returns how many rows it removed. An admin sets the durations on the
retention page (`RetentionPeriod` rows); `retention_purge` runs every kind, logs and records in
the audit log what it removed. Aggregates (click counters, share counts) are never removed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from portevoix.core.audit import audit_change, audit_record
from portevoix.core.models import RetentionPeriod

if TYPE_CHECKING:
    from portevoix.accounts.models import Person

log = logging.getLogger(__name__)
CHUNK = 10_000


@dataclass(frozen=True)
class RetentionKind:
    code: str
    label: str | Promise
    # What goes and what stays, in a sentence for the settings page and the docs.
    rule: str | Promise
    default_days: Callable[[], int] | int
    min_days: int
    max_days: int
    # Removes what is older than the cut-off; answers how many rows went (or were cleared).
    purge: Callable[[datetime], int]

    def default(self) -> int:
        return self.default_days() if callable(self.default_days) else self.default_days


_KINDS: dict[str, RetentionKind] = {}


class RetentionError(ValueError):
    pass


def retention_register(kind: RetentionKind) -> None:
    _KINDS[kind.code] = kind


def retention_kinds() -> list[RetentionKind]:
    return list(_KINDS.values())


def retention_days(code: str) -> int:
    """The duration in force: the admin's, else the default."""
    chosen = RetentionPeriod.objects.filter(kind=code).values_list("days", flat=True).first()
    return chosen if chosen is not None else _KINDS[code].default()


def retention_durations() -> dict[str, int]:
    chosen = dict(RetentionPeriod.objects.values_list("kind", "days"))
    return {code: chosen.get(code, kind.default()) for code, kind in _KINDS.items()}


def retention_set(*, actor: Person, days: Mapping[str, int]) -> None:
    """Set the durations; any out of its bounds refuses them all, saying which and why."""
    problems = []
    for code, value in days.items():
        kind = _KINDS.get(code)
        if kind is None:
            problems.append(_("Unknown kind of data: %(code)s.") % {"code": code})
        elif not kind.min_days <= value <= kind.max_days:
            problems.append(
                _("%(label)s: between %(min)d and %(max)d days.")
                % {"label": kind.label, "min": kind.min_days, "max": kind.max_days}
            )
    if problems:
        raise RetentionError(" ".join(problems))
    before = retention_durations()
    with transaction.atomic():
        for code, value in days.items():
            RetentionPeriod.objects.update_or_create(kind=code, defaults={"days": value})
    audit_change(
        actor=actor,
        action="retention_changed",
        target="retention",
        before=before,
        after=retention_durations(),
    )


def rows_delete_in_chunks(rows: models.QuerySet[Any]) -> int:
    """Delete these rows a chunk at a time, oldest ids first, so that no long transaction holds
    the database. Answers how many rows went (their own, not the cascade's)."""
    model = rows.model
    deleted = 0
    while True:
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return deleted
        deleted += model._default_manager.filter(pk__in=ids).delete()[1].get(model._meta.label, 0)


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Run every kind's purge with its duration in force; log and record what went."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    for code, days in retention_durations().items():
        removed[code] = _KINDS[code].purge(now - timedelta(days=days))
    summary = ", ".join(f"{code}={count}" for code, count in removed.items())
    log.info("retention purge: %s", summary)
    counts: dict[str, Any] = dict(removed)
    audit_record(actor=None, action="retention_purged", target="", **counts)
    return removed
