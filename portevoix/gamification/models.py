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
