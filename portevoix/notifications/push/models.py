from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PushKeys(models.Model):
    """The installation's VAPID key pair (RFC 8292): one row, made on first need. The private
    key is stored encrypted with a key derived from SECRET_KEY (push/keys.py)."""

    public_key = models.CharField(max_length=100)  # base64url, uncompressed P-256 point
    private_key_encrypted = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "VAPID keys"


class PushSubscription(models.Model):
    """One device (one browser profile) that receives a person's notifications."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's URL for this device; a browser gives one endpoint per subscription.
    endpoint = models.CharField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    device_label = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.device_label or f"device {self.pk}"
