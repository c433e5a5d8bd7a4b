from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    BLOG = "blog", _("Company blog")
    PRESS = "press", _("Press room")
    JOBS = "jobs", _("Job board")
    NEWS = "news", _("Industry news")
    ALERTS = "alerts", _("Alert feed")


class Source(models.Model):
    """An RSS or Atom feed the worker reads on schedule."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("feed address"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind, default=SourceKind.NEWS)
    topics = models.ManyToManyField(
        "content.Topic", blank=True, related_name="veille_sources", verbose_name=_("topics")
    )
    fetch_interval_minutes = models.PositiveIntegerField(
        _("fetch every (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(7 * 24 * 60)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Conditional requests: what the server said last time.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    next_fetch_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_job_board(self) -> bool:
        return self.kind == SourceKind.JOBS

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class Tone(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Item(models.Model):
    """One entry read from a source, deduplicated."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500, blank=True)
    canonical_url = models.CharField(max_length=2000, blank=True, db_index=True)
    title_date_key = models.CharField(max_length=64, db_index=True)
    link = models.URLField(_("link"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)  # sanitised HTML
    image_url = models.URLField(_("image"), max_length=2000, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # The date the inbox sorts and the charts count by: publication, or when we first saw an
    # undated item; never in the future.
    dated_at = models.DateTimeField(db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone, default=Tone.NEUTRAL)
    tone_score = models.FloatField(default=0.0)
    # Title and summary as plain text, lower case, accents removed: what watches match on.
    folded_text = models.TextField(blank=True)

    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="veille_items",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-dated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"],
                condition=~models.Q(guid=""),
                name="veille_item_guid_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class WatchKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    PRODUCT = "product", _("Product")
    COMPETITOR = "competitor", _("Competitor")
    EXECUTIVE = "executive", _("Executive")
    OTHER = "other", _("Other")


class Watch(models.Model):
    """Keywords followed across every item, with the negative-mention alert's rule."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=WatchKind, default=WatchKind.BRAND)
    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One per line. Whole words, capitals and accents ignored; end a term with * to also "
            "match longer words (Renault* matches Renaultsport)."
        ),
    )
    exclude_terms = models.TextField(
        _("exclude items containing"),
        blank=True,
        help_text=_("One per line. An item containing any of these is not a mention."),
    )
    alert_min_negative = models.PositiveIntegerField(
        _("alert at this many negative mentions"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    alert_window_hours = models.PositiveIntegerField(
        _("within (hours)"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    alert_rate_factor = models.FloatField(
        _("or this many times the usual rate"),
        default=3.0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "0 turns the rate rule off. The usual rate is measured over the 14 days before."
        ),
    )
    # Set while negative mentions are above the rule: one alert per episode.
    alerting_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    items: models.ManyToManyField[Item, Mention] = models.ManyToManyField(
        Item, through="Mention", related_name="watches"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("watches")

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """An item that matches a watch; date and tone copied so counts need no join."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="mentions")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="mentions")
    dated_at = models.DateTimeField()
    tone = models.CharField(max_length=10, choices=Tone)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["watch", "item"], name="veille_mention_once")
        ]
        indexes = [models.Index(fields=["watch", "tone", "dated_at"])]

    def __str__(self) -> str:
        return f"{self.watch_id} in {self.item_id}"


class AlertKind(models.TextChoices):
    NEGATIVE_RISE = "negative_rise", _("Rise of negative mentions")
    SOURCE_PAUSED = "source_paused", _("Source paused")


class Alert(models.Model):
    """An alert for the pilot team, listed on the alerts page; each editor and admin is told
    through a notification (`alert_notices.py`), which also holds whether they read it."""

    kind = models.CharField(max_length=20, choices=AlertKind)
    watch = models.ForeignKey(
        Watch, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    negative_count = models.PositiveIntegerField(default=0)
    window_hours = models.PositiveIntegerField(default=0)
    usual_count = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
