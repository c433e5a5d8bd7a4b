"""A person's connected accounts, what we publish through them, and what we read back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Network

# What core/secrets.py mixes into the key: a token sealed for connections reads nowhere else.
TOKEN_PURPOSE = "connections-token"
CLIENT_SECRET_PURPOSE = "connections-client-secret"


class NetworkClient(models.Model):
    """The app the admin registered with a network (LinkedIn, X): its client id and secret. An
    environment variable, when set, wins over this row (settings.CONNECTIONS_CLIENTS)."""

    network = models.CharField(max_length=20, choices=Network, unique=True)
    client_id = models.CharField(max_length=200)
    client_secret_sealed = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.network


class MastodonApp(models.Model):
    """Our app as registered on one Mastodon instance (POST /api/v1/apps), kept for everybody
    connecting from that instance."""

    instance = models.CharField(max_length=190, unique=True)  # host name, lower case
    base_url = models.CharField(max_length=250)
    redirect_uri = models.CharField(max_length=500)
    client_id = models.CharField(max_length=200)
    client_secret_sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.instance


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", _("Connected")
    RECONNECT = "reconnect", _("Reconnect needed")


class FollowersSource(models.TextChoices):
    DECLARED = "declared", _("declared")
    READ = "read", _("read from the network")


class Connection(models.Model):
    """A person's account on one network, with the tokens to act for them (sealed)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections"
    )
    network = models.CharField(max_length=20, choices=Network)
    account_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200)
    server = models.CharField(max_length=250, blank=True)  # Mastodon instance base URL
    access_token_sealed = models.BinaryField()
    refresh_token_sealed = models.BinaryField(default=b"")
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ConnectionStatus, default=ConnectionStatus.ACTIVE
    )
    followers = models.PositiveIntegerField(null=True, blank=True)
    followers_read_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="one_connection_per_network")
        ]
        ordering = ["network"]

    def __str__(self) -> str:
        return f"{self.network}: {self.handle}"


class PublicationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Publication(models.Model):
    """One share published through a connection, now or at its time. The idempotency key is
    the same on every attempt; the status, changed under a row lock before each call, is what
    guarantees that a published share is never posted again."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publications"
    )
    connection = models.ForeignKey(
        Connection, null=True, on_delete=models.SET_NULL, related_name="publications"
    )
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="publications")
    network = models.CharField(max_length=20, choices=Network)
    text = models.TextField()
    tracked_link = models.ForeignKey(
        "tracking.TrackedLink", on_delete=models.CASCADE, related_name="publications"
    )
    share = models.OneToOneField(
        "sharing.Share",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publication",
    )
    scheduled_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=PublicationStatus, default=PublicationStatus.SCHEDULED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=64, unique=True)
    network_post_id = models.CharField(max_length=300, blank=True)
    network_post_url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="publication_due"),
            models.Index(fields=["post", "scheduled_at"], name="publication_post_time"),
            models.Index(
                fields=["person", "network", "scheduled_at"], name="publication_person_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.network} at {self.scheduled_at:%Y-%m-%d %H:%M}"


class EngagementReading(models.Model):
    """What the network said people did with a published post, at one reading."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="engagement_readings"
    )
    read_at = models.DateTimeField(default=timezone.now)
    likes = models.PositiveIntegerField(null=True)
    reposts = models.PositiveIntegerField(null=True)
    replies = models.PositiveIntegerField(null=True)
    impressions = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["publication", "read_at"], name="engagement_latest")]

    def __str__(self) -> str:
        return f"{self.publication_id} at {self.read_at:%Y-%m-%d %H:%M}"
