from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def lesson_image_path(instance: Lesson, filename: str) -> str:
    """A random name: the uploader's file name says nothing we want to keep or serve."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"lessons/{uuid.uuid4().hex}.{extension}"


class Lesson(models.Model):
    """A short lesson in markdown, with an optional multiple-choice quiz."""

    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text (markdown)"))
    image = models.ImageField(_("illustration"), upload_to=lesson_image_path, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("Share of right answers needed to pass.")
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lesson")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=200)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class LessonAttempt(models.Model):
    """Every time someone finishes a lesson (and its quiz): the first passed one completes it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_attempts"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    score = models.PositiveSmallIntegerField(help_text="percentage of right answers")
    passed = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "lesson", "passed"])]

    def __str__(self) -> str:
        return f"{self.person} {self.lesson} {self.score}%"
