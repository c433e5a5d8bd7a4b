from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """What an admin or editor did to people, the charter or settings: who, what, when.

    `actor_name` and `target` are copies made at the time, so the log still reads after people
    change; erasing a person reduces their copies to their e-mail domain (core/privacy.py).
    `target_person` is how erasure finds the entries about them.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200, blank=True)
    target_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The hash chain (core/chain.py). The names are chained through digests salted per entry,
    # so erasure can reduce the names (and clear the salt, which makes the digests unlinkable)
    # while the chain stays verifiable; `erased` says the names were reduced on purpose.
    salt = models.CharField(max_length=32, blank=True)
    actor_digest = models.CharField(max_length=64, blank=True)
    target_digest = models.CharField(max_length=64, blank=True)
    erased = models.BooleanField(default=False)
    # The details are chained through their digest, salted like the names, so that erasure can
    # reduce a name or e-mail in them (a `person_changed` before/after) and the chain still
    # verifies. Empty for the entries written before: the chain covers their details as such.
    details_digest = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"


class ChainHead(models.Model):
    """The newest link of a hash chain (core/chain.py), and where it starts after a purge.

    Writers lock this row, so the chain never forks; `checkpoint_hash` is the hash of the last
    purged entry, which the first kept entry links to."""

    name = models.CharField(max_length=30, unique=True)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_id = models.BigIntegerField(null=True, blank=True)
    checkpoint_hash = models.CharField(max_length=64, default="0" * 64)
    checkpoint_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.last_hash[:12]}"


class RetentionPeriod(models.Model):
    """How many days an admin keeps one kind of data (core/retention.py lists the kinds, their
    defaults and bounds). A kind without a row keeps its default."""

    kind = models.CharField(max_length=40, unique=True)
    days = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"


class PeriodicRun(models.Model):
    """One run of a periodic task, by the minute it started in (`core/periodic.py`).

    The unique (task, minute) is how a periodic task runs once a minute whatever the number of
    workers that schedule it: a second run in the same minute finds its row taken and is
    cancelled, and counted in `duplicates`."""

    task = models.CharField(max_length=200)
    minute = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "minute"], name="periodic_run_once_a_minute")
        ]
        indexes = [models.Index(fields=["task", "-minute"], name="periodic_run_latest")]

    def __str__(self) -> str:
        return f"{self.task} {self.minute:%Y-%m-%d %H:%M}"
