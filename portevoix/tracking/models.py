from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Network


class TrackedLink(models.Model):
    """One short code per (post, ambassador, network): every click on it is attributed.

    A link never changes once created (the redirect caches code → destination); disabling it is
    the only change, and evicts it from every process's cache within a second
    (`LinkCacheGeneration`).
    """

    code = models.CharField(max_length=16, unique=True)
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="tracked_links")
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_links"
    )
    network = models.CharField(max_length=20, choices=Network)
    destination = models.URLField(max_length=2000)
    disabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "ambassador", "network"],
                name="one_link_per_post_ambassador_network",
            )
        ]
        indexes = [
            # The links of a group's people on one network (a dashboard filtered on both):
            # read from the index alone, one seek per person, instead of one table page per
            # link (docs/metrics.md, "Ten times the data"). SQLite keeps the two fields only.
            models.Index(
                fields=["ambassador", "network"],
                include=["post", "id"],
                name="link_by_ambassador_network",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def short_url(self) -> str:
        return f"{settings.SITE_URL}/s/{self.code}"


class LinkCacheGeneration(models.Model):
    """One row whose number grows whenever a link is disabled, enabled or deleted.

    Every redirect process reads it at most once a second and empties its cache when it changed:
    one tiny query per process per second instead of one per click.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class VisitorKey(models.Model):
    """The random key of one day (organisation time) for the visitor hash.

    Destroyed once the day is over: yesterday's visitor hashes can then never be recomputed
    from an IP address and a user agent.
    """

    day = models.DateField(unique=True)
    key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"key of {self.day}"  # never the key itself


class ClickInbox(models.Model):
    """A group of raw clicks waiting for ingestion, when the database is PostgreSQL: one row per
    batch a web node shipped from its segment files (spool.py), in `payload` in the files'
    fields format (inbox_log.py) — or, for rows written before the spool, a JSON array of rows
    in `clicks`. One insert per batch whatever its size. Raw facts only: no IP address.
    """

    size = models.PositiveIntegerField()  # clicks in the group: the backlog is their sum
    clicks = models.TextField(blank=True, default="")
    payload = models.BinaryField(null=True)

    def __str__(self) -> str:
        return f"{self.size} clicks"


class SpoolCheckpoint(models.Model):
    """How far a web node's segment has been shipped to the inbox table (`shipped`: a byte
    offset), moved in the same transaction as the rows shipped (spool.py)."""

    node = models.CharField(max_length=32)
    segment = models.CharField(max_length=64)
    shipped = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["node", "segment"], name="spool_checkpoint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node}/{self.segment}@{self.shipped}"


class IngestCheckpoint(models.Model):
    """How far ingestion has read one segment of the embedded inbox (`name`: the segment's
    file name, `last_id`: the byte offset).

    Advanced in the same transaction as the clicks and rollups it covers: a re-run or a crash can
    neither lose a click nor count one twice.
    """

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_id}"


class ClickKind(models.IntegerChoices):
    VERIFIED = 0, _("verified")
    REPEAT = 1, _("repeat")
    SELF = 2, _("self-click")
    BOT = 3, _("bot")
    SCANNER = 4, _("e-mail link scanner")


class ScannerNetwork(models.Model):
    """A network an e-mail link scanner (Safe Links, URL Defense, Mimecast, Barracuda…) clicks
    from, as published by its vendor: the redirect flags a click from one of them without
    keeping the address (scanners.py). Replaced as a whole by each refresh."""

    network = models.CharField(max_length=49, unique=True)  # CIDR, e.g. "40.92.0.0/15"
    source = models.CharField(max_length=80, blank=True)  # the vendor, or the list's URL
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.network


class Device(models.TextChoices):
    DESKTOP = "desktop", _("computer")
    MOBILE = "mobile", _("mobile")
    TABLET = "tablet", _("tablet")
    OTHER = "other", _("other")


class Click(models.Model):
    """One click, classified. Purged after CLICK_RETENTION_DAYS; the rollups stay."""

    click_id = models.CharField(max_length=24)
    # No foreign-key constraint in the database: PostgreSQL checks one row by one row, a fifth
    # of ingestion's time there. Ingestion locks a batch's links instead, once, and deleting a
    # link locks it first (ingest.py, receivers.py): no click is ever left without its link.
    link = models.ForeignKey(
        TrackedLink, on_delete=models.CASCADE, related_name="clicks", db_constraint=False
    )
    # No index on `at`: every index is paid at each of a million inserts, and the retention
    # purge finds old clicks at the start of the table anyway (ids grow with time).
    at = models.DateTimeField()
    kind = models.PositiveSmallIntegerField(choices=ClickKind)
    visitor = models.CharField(max_length=32)
    device = models.CharField(max_length=8, choices=Device)
    referrer_host = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            # A constraint rather than `unique=True`, which on PostgreSQL also builds an index
            # for LIKE queries that nothing makes: one index less to write per click.
            models.UniqueConstraint(fields=["click_id"], name="one_click_per_click_id")
        ]

    def __str__(self) -> str:
        return self.click_id


class SettledCounters(models.Model):
    """One row holding the version of the settled counters (days before yesterday): a new
    random token whenever one of them changes after all, in the same transaction (a click
    ingested more than a day late, an erasure). Dashboards keep sums over settled days while
    it stays the same (tracking/settled.py). Random, not a count: a database restored from a
    backup never brings back a token that sums of other figures were kept under."""

    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.token)


class SeenState(models.Model):
    """Where a day's seen-visitor set stands: its last batch's generation and random token.
    Claims lock this row while they run, so they take turns (seen.py)."""

    day = models.DateField(primary_key=True)
    generation = models.BigIntegerField(default=0)
    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"seen set of {self.day} at {self.generation}"


class SeenBatch(models.Model):
    """Visitors first seen in one claim: packed 64-bit digests of (scope, visitor hash), what
    tells a repeat from a verified click and counts unique visitors (seen.py). Purged with the
    day's key: a visitor hash only means something within its day anyway."""

    day = models.DateField()
    generation = models.BigIntegerField()
    token = models.BigIntegerField()
    digests = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "generation"], name="one_seen_batch_per_step")
        ]

    def __str__(self) -> str:
        return f"seen on {self.day} (#{self.generation})"


class ClickCount(models.Model):
    """Counters in the spirit of Zulip's analytics: (dimension, key, property, subgroup,
    frequency, start) → value, incremented by upserts. docs/metrics.md defines each figure.

    - dimension: all, post, ambassador, network, campaign, group or link; key: the id (or the
      network's code; empty for all). Post, ambassador, campaign and group are also counted
      within each network ("post@linkedin"; raw, verified and conversions, daily and monthly).
    - property: raw, verified, repeat, self, bot, visitors, conversions; subgroup: the
      conversion goal.
    - frequency: hour (UTC hours), day or month (organisation days and months, each month the
      sum of its days); start: the bucket's first instant.
    """

    dimension = models.CharField(max_length=24)
    key = models.CharField(max_length=40, blank=True)
    property = models.CharField(max_length=16)
    subgroup = models.CharField(max_length=40, blank=True)
    frequency = models.CharField(max_length=8)
    start = models.DateTimeField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "property", "subgroup", "frequency", "start"],
                name="one_count_per_bucket",
            )
        ]
        indexes = [
            # Key and value included so that a breakdown (every post's verified clicks of a
            # period) is read from the index alone, without one table lookup per row.
            models.Index(
                fields=["dimension", "property", "frequency", "start", "key", "value"],
                name="count_by_period_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.property} {self.start:%Y-%m-%d %H}h"


class Goal(models.TextChoices):
    JOB_APPLICATION = "job_application", _("job application")
    LEAD = "lead", _("lead")
    SIGN_UP = "sign_up", _("sign-up")
    CUSTOM = "custom", _("custom")


class ConversionSource(models.TextChoices):
    API = "api", _("server-side API")
    SCRIPT = "script", _("script on the site")


class Conversion(models.Model):
    """A goal reached on the company site after a click, attributed through the click id.

    Keeps the click id as text, not a foreign key: conversions outlive the purge of raw clicks.
    One per click and goal: the label describes the conversion, it does not make another one.
    """

    click_id = models.CharField(max_length=24)
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="conversions")
    goal = models.CharField(max_length=20, choices=Goal)
    label = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=8, choices=ConversionSource)
    # A conversion after a bot or self-click is kept but not counted.
    counted = models.BooleanField(default=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["click_id", "goal"], name="one_conversion_per_click_and_goal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal} after {self.click_id}"


class ConversionKey(models.Model):
    """An API key for the server-side conversion endpoint. Only its SHA-256 is stored."""

    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
