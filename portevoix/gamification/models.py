from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    SHARE = "share", _("Confirmed share")
    VERIFIED_CLICK = "verified_click", _("Verified click received")
    SUGGESTION_ACCEPTED = "suggestion_accepted", _("Suggestion accepted")
    LESSON_COMPLETED = "lesson_completed", _("Lesson completed")
    CONVERSION = "conversion", _("Conversion")


DEFAULT_POINTS = {
    Action.SHARE: 10,
    Action.VERIFIED_CLICK: 2,
    Action.SUGGESTION_ACCEPTED: 15,
    Action.LESSON_COMPLETED: 20,
    Action.CONVERSION: 50,
}
DEFAULT_CLICK_CAP = 10


class PointRule(models.Model):
    """Points for an action from `valid_from` on. Editing a rule adds a row: activity is always
    scored by the rule in force when it happened, so totals can be recomputed and explained."""

    action = models.CharField(_("action"), max_length=30, choices=Action)
    points = models.PositiveIntegerField(_("points"))
    daily_cap_per_link = models.PositiveIntegerField(
        _("daily cap per link"),
        null=True,
        blank=True,
        help_text=_("Verified clicks only: most clicks that earn points per link and per day."),
    )
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["action", "-valid_from"]
        indexes = [models.Index(fields=["action", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.points} from {self.valid_from:%Y-%m-%d}"


class PointEntry(models.Model):
    """The ledger: one line per point-earning fact (`source`, e.g. "share:12", "click:345").
    Unique constraints make awarding idempotent and safe when two workers ingest at once:
    a fact is scored once, and `slot` (the fact's own name, or a numbered place under a cap such
    as "link:7:2026-11-27:3") can be taken once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="point_entries"
    )
    action = models.CharField(max_length=30, choices=Action)
    points = models.IntegerField()
    source = models.CharField(max_length=120)
    slot = models.CharField(max_length=120)
    rule = models.ForeignKey(PointRule, null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "action", "source"], name="one_entry_per_fact"
            ),
            models.UniqueConstraint(fields=["person", "action", "slot"], name="one_entry_per_slot"),
        ]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.person} +{self.points} {self.action} ({self.source})"


class BadgeAward(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges"
    )
    badge = models.CharField(max_length=40)
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "badge"], name="badge_awarded_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.badge}"


class Metric(models.TextChoices):
    SHARES = "shares", _("Shares")
    VERIFIED_CLICKS = "verified_clicks", _("Verified clicks")
    CONVERSIONS = "conversions", _("Conversions")


class Mode(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    TEAM = "team", _("Teams (groups)")


class Challenge(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    metric = models.CharField(_("metric"), max_length=20, choices=Metric)
    campaign = models.ForeignKey(
        "content.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("campaign"),
    )
    posts = models.ManyToManyField(
        "content.Post", blank=True, related_name="challenges", verbose_name=_("posts")
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode, default=Mode.INDIVIDUAL)
    teams = models.ManyToManyField(
        "accounts.Group", blank=True, related_name="challenges", verbose_name=_("competing groups")
    )
    min_threshold = models.PositiveIntegerField(_("minimum to win"), default=1)
    winners_count = models.PositiveSmallIntegerField(_("number of winners"), default=1)
    reward = models.CharField(_("reward"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_announced_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ends_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class ChallengeResult(models.Model):
    """The standings frozen when the challenge closed; they never change afterwards."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="results")
    rank = models.PositiveIntegerField()
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        "accounts.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=150)
    value = models.PositiveIntegerField()
    winner = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return f"{self.challenge} #{self.rank} {self.name}"
