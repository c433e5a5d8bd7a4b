from __future__ import annotations

import uuid
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group, Network


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    # Declared here, not on Person, so that accounts need not know content: `person.topics`
    # is the reverse side. The table keeps the name it got as `Person.topics` (accounts 0006,
    # content 0003 moved the field in the models' state only): no row moved.
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="topics",
        db_table="accounts_person_topics",
        verbose_name=_("followers"),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CampaignGoal(models.TextChoices):
    SHARES = "shares", _("Shares")
    CLICKS = "clicks", _("Clicks")
    CONVERSIONS = "conversions", _("Conversions")


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=160)
    utm_campaign = models.SlugField(_("UTM campaign name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    goal = models.CharField(
        _("goal"), max_length=20, choices=CampaignGoal, default=CampaignGoal.SHARES
    )
    goal_target = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("how many shares, clicks or conversions")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class PostKind(models.TextChoices):
    LINK = "link", _("Article or link")
    JOB = "job", _("Job offer")
    EVENT = "event", _("Event")
    MEDIA = "media", _("Image or video")
    ANNOUNCEMENT = "announcement", _("Internal announcement")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    TOP = 2, _("Top")


def post_image_path(instance: Post, filename: str) -> str:
    """A random name: the uploader's file name says nothing we want to keep or serve."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"posts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Post(models.Model):
    """A piece of content the pilot team offers ambassadors to share.

    It is in an ambassador's feed from `published_at` (included) to `expires_at` (excluded) once
    it is scheduled or published; the periodic task only keeps `status` in step with the clock.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind, default=PostKind.LINK)
    commentary = models.TextField(_("commentary"), blank=True)
    url = models.URLField(_("destination URL"), max_length=2000, blank=True)
    preview_title = models.CharField(_("preview title"), max_length=300, blank=True)
    preview_description = models.TextField(_("preview description"), blank=True)
    preview_image_url = models.URLField(_("preview image URL"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to=post_image_path, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    target_groups = models.ManyToManyField(
        Group, blank=True, related_name="targeted_posts", verbose_name=_("target groups")
    )
    # Wrapped in commas (",fr,en,") so a containment test matches whole codes; empty = everyone.
    languages = models.CharField(_("languages"), max_length=60, blank=True)
    open_to_alumni = models.BooleanField(_("open to alumni"), default=False)
    priority = models.SmallIntegerField(_("priority"), choices=Priority, default=Priority.NORMAL)
    points = models.PositiveIntegerField(_("points"), default=10)
    event_starts_at = models.DateTimeField(_("event date"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus, default=PostStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_posts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The scheduler and the pilot team's lists.
            models.Index(fields=["status", "published_at"], name="post_status_published"),
            # The feed reads this index backwards, in its display order, and stops after a
            # page: about half the posts target any given person, so a page is a few dozen
            # index entries instead of sorting every live post.
            models.Index(fields=["priority", "published_at", "id"], name="post_feed_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @language_codes.setter
    def language_codes(self, codes: list[str]) -> None:
        known = [code for code, _name in settings.LANGUAGES]
        chosen = [code for code in known if code in codes]
        self.languages = f",{','.join(chosen)}," if chosen else ""

    @property
    def is_shareable(self) -> bool:
        return self.kind != PostKind.ANNOUNCEMENT

    @property
    def display_title(self) -> str:
        return self.title or self.preview_title


class SuggestedMessage(models.Model):
    """A text offered to ambassadors; a blank network means it suits every network."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="messages")
    network = models.CharField(_("network"), max_length=20, choices=Network, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "language", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PostAction(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned to draft")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")
    EXPIRED = "expired", _("expired")
    ARCHIVED = "archived", _("archived")


class PostEvent(models.Model):
    """Who did what to a post, and when. A null actor is the platform itself (the scheduler)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=PostAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=PostStatus, blank=True)
    to_status = models.CharField(max_length=20, choices=PostStatus, blank=True)
    note = models.TextField(blank=True)
    # Names of the fields an edit changed, comma-separated; shown translated.
    changed_fields = models.CharField(max_length=500, blank=True)
    # What an approval approved (title, text, link, audience: content/review.py), so that the
    # next review shows what changed since.
    snapshot = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.action}"

    @property
    def changed_labels(self) -> str:
        labels = []
        for name in filter(None, self.changed_fields.split(",")):
            if name == "messages":
                labels.append(str(_("suggested messages")))
            else:
                labels.append(str(cast(models.Field, Post._meta.get_field(name)).verbose_name))
        return ", ".join(labels)


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the pilot team")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Suggestion(models.Model):
    """Content an ambassador proposes; accepted, it becomes a draft post crediting them."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_suggestions"
    )
    url = models.URLField(_("link"), max_length=2000, blank=True)
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        max_length=20, choices=SuggestionStatus, default=SuggestionStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url or self.text[:60]


class ComplianceSettings(models.Model):
    """One row: the words no message may contain and the tag every message must carry."""

    blocked_words = models.TextField(
        _("blocked words"), blank=True, help_text=_("one word or expression per line")
    )
    disclosure_tag = models.CharField(
        _("mandatory disclosure tag"),
        max_length=60,
        blank=True,
        help_text=_("for example #collaborateur; leave empty for none"),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "compliance"

    @property
    def blocked_word_list(self) -> list[str]:
        return [line.strip() for line in self.blocked_words.splitlines() if line.strip()]


class ApprovalSettings(models.Model):
    """One row: whether a post needs a second editor's approval before it goes out."""

    approval_required = models.BooleanField(
        _("four-eyes approval: a second editor, never the author, approves every post"),
        default=False,
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "approval"
