from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.notifications.transports import TRANSPORTS


class Kind(models.TextChoices):
    """What a notification is about; each e-mail kind can be unsubscribed from on its own."""

    DIGEST = "digest", _("Content digest")
    PRIORITY = "priority", _("Priority content")
    CHALLENGE = "challenge", _("Challenges")
    SUGGESTION = "suggestion", _("My suggestions")
    MONTHLY_REPORT = "monthly_report", _("Monthly report")
    ALERT = "alert", _("Veille alerts")
    SYSTEM = "system", _("Programme news")


class Notification(models.Model):
    """The in-app notification list."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # What it is about, named by the capability that sent it (`veille-alert:12`): that capability
    # finds its own notifications again (to show them read or unread on its own pages) without
    # notifications having to know its models.
    subject = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.title


# One kind per registered transport, so that a new transport is a new choice (and a migration
# recording it) without a second list to keep in step. django-stubs types Enum's functional API
# without (value, label) members, which Django's choices accept.
ChannelKind = models.TextChoices(  # type: ignore[call-overload]
    "ChannelKind",
    [(kind.upper(), (kind, transport.label)) for kind, transport in TRANSPORTS.items()],
)


class Channel(models.Model):
    """A Slack or Teams channel reached through its incoming-webhook URL."""

    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind)
    name = models.CharField(_("name"), max_length=100)
    webhook_url = models.URLField(_("incoming webhook URL"), max_length=500)
    announce_posts = models.BooleanField(_("new published posts"), default=True)
    announce_challenges = models.BooleanField(_("challenge results"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ChannelDelivery(models.Model):
    """One message for one channel: an outbox row, retried with back-off until sent or given up."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.title} ({self.status})"


class DigestSent(models.Model):
    """Claimed before a digest is sent, so a period is never sent twice, even after a crash."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    period = models.CharField(max_length=20)  # "2026-11-27" (daily) or "2026-W48" (weekly)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period}"


class NotificationSettings(models.Model):
    """Organisation-wide settings the admin edits: one row."""

    digest_hour = models.PositiveSmallIntegerField(
        _("hour digests are sent (each person's time zone)"), default=8
    )
    weekly_digest_day = models.PositiveSmallIntegerField(
        _("day weekly digests are sent"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )

    def __str__(self) -> str:
        return "notification settings"

    @classmethod
    def current(cls) -> NotificationSettings:
        return cls.objects.get_or_create(pk=1)[0]


# Web Push lives in its own subpackage; its models are registered with this app here.
from portevoix.notifications.push.models import PushKeys, PushSubscription  # noqa: E402,F401
