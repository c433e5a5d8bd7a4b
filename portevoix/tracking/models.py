from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portevoix.accounts.models import Network


class TrackedLink(models.Model):
    """One short code per (post, ambassador, network): every click on it is attributed.

    A link never changes once created (the redirect caches code → destination); disabling it is
    the only change, and evicts it from the cache.
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

    def __str__(self) -> str:
        return self.code

    @property
    def short_url(self) -> str:
        return f"{settings.SITE_URL}/s/{self.code}"
