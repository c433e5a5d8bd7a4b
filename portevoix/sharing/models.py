from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portevoix.accounts.models import Network


class Share(models.Model):
    """An ambassador sent a post to a network's share page, with this text and their link.

    A fact, not a reward: points come later from verified clicks. On erasure of the person the
    row stays for aggregate counts, without the person and without their words.
    """

    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shares",
    )
    network = models.CharField(max_length=20, choices=Network)
    text = models.TextField(blank=True)
    # Case-, spacing- and link-insensitive digest of the text: what the authenticity nudge counts.
    fingerprint = models.CharField(max_length=64, blank=True)
    tracked_link = models.ForeignKey(
        "tracking.TrackedLink",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shares",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "post"], name="share_person_post"),
            models.Index(fields=["fingerprint"], name="share_fingerprint"),
            models.Index(fields=["created_at"], name="share_created"),
            # Dashboards (analytics/share_figures) read a period's shares from these alone: every
            # share of the period, or those of some people (a group's).
            models.Index(
                fields=["created_at", "person", "network", "post"], name="share_period_covering"
            ),
            models.Index(
                fields=["person", "created_at", "network", "post"], name="share_person_covering"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.network}"


class SharingRules(models.Model):
    """The admin's pacing of shares (one row): the hours when scheduled shares go out, in the
    organisation's time zone, how many shares a person makes per network and day, and how many
    connected publications of one post may go out in the same hour."""

    hours_start = models.PositiveSmallIntegerField(default=8)  # hour of the day, 0-23
    hours_end = models.PositiveSmallIntegerField(default=19)  # exclusive, 1-24
    weekdays = models.CharField(max_length=7, default="01234")  # Monday = 0
    daily_limit = models.PositiveSmallIntegerField(default=0)  # per person and network; 0: none
    post_hour_limit = models.PositiveSmallIntegerField(default=0)  # per post and hour; 0: none
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "sharing rules"


class ArchiveEntry(models.Model):
    """The compliance archive: one entry per text shared or published, kept as it was (who,
    network, when, post, tracked link, text), hash-chained like the audit log (sharing/archive.py,
    docs/governance.md). Copies, not links: the entry reads the same after the post or the link
    changes. Erasure of the person clears their name and text (as it does on the share); the
    chain covers their salted digests, so it still verifies.
    """

    share = models.OneToOneField(
        Share, null=True, blank=True, on_delete=models.SET_NULL, related_name="archive_entry"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=300, blank=True)
    network = models.CharField(max_length=20, choices=Network)
    at = models.DateTimeField(db_index=True)
    post_id_copy = models.BigIntegerField(null=True, blank=True)
    post_title = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    salt = models.CharField(max_length=32, blank=True)
    person_digest = models.CharField(max_length=64)
    text_digest = models.CharField(max_length=64)
    erased = models.BooleanField(default=False)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.network} {self.post_title}"
