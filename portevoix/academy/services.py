"""Taking lessons: grading quizzes, recording completion, the onboarding checklist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal

from portevoix.academy.models import Choice, Lesson, LessonAttempt
from portevoix.accounts.models import Person

# Sent after commit when a person completes a lesson for the first time (points, badges).
lesson_completed = Signal()  # kwargs: person, lesson, attempt


class QuizError(Exception):
    pass


def lessons_for(person: Person) -> QuerySet[Lesson]:
    """Published lessons, the person's language first."""
    from django.db.models import Case, IntegerField, Value, When

    return Lesson.objects.filter(published=True).order_by(
        Case(
            When(language=person.language, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "position",
        "id",
    )


def lesson_completed_by(person: Person, lesson: Lesson) -> bool:
    return LessonAttempt.objects.filter(person=person, lesson=lesson, passed=True).exists()


def quiz_grade(*, lesson: Lesson, answers: Mapping[int, int]) -> int:
    """Percentage of questions answered with a right choice. `answers`: question id → choice id.
    Every question must be answered with one of its own choices."""
    questions = list(lesson.questions.all())
    if not questions:
        return 100
    choices = {c.pk: c for c in Choice.objects.filter(question__lesson=lesson)}
    right = 0
    for question in questions:
        choice_id = answers.get(question.pk)
        choice = choices.get(choice_id) if choice_id is not None else None
        if choice is None or choice.question_id != question.pk:
            raise QuizError(question.pk)
        right += choice.is_correct
    return round(100 * right / len(questions))


def lesson_attempt(*, person: Person, lesson: Lesson, answers: Mapping[int, int]) -> LessonAttempt:
    """Grade and record an attempt; the first passed attempt completes the lesson."""
    score = quiz_grade(lesson=lesson, answers=answers)
    with transaction.atomic():
        first_completion = not lesson_completed_by(person, lesson)
        attempt = LessonAttempt.objects.create(
            person=person, lesson=lesson, score=score, passed=score >= lesson.pass_mark
        )
        if attempt.passed and first_completion:
            transaction.on_commit(
                lambda: lesson_completed.send(
                    sender=Lesson, person=person, lesson=lesson, attempt=attempt
                )
            )
    return attempt


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    label: str
    done: bool
    url: str
