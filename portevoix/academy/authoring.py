"""Writing lessons (the pilot team): a lesson's quiz questions and their choices."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from portevoix.academy.models import Choice, Lesson, Question


@transaction.atomic
def question_create(*, lesson: Lesson, text: str, choices: Iterable[tuple[str, bool]]) -> Question:
    """Adds a question after the lesson's others, with its choices as (text, is it right)."""
    question = Question.objects.create(lesson=lesson, text=text, position=lesson.questions.count())
    Choice.objects.bulk_create(
        Choice(question=question, text=choice, is_correct=right) for choice, right in choices
    )
    return question
