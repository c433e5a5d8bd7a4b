import pytest
from django.urls import reverse

from portevoix.academy.models import Choice, Lesson, LessonAttempt, Question
from portevoix.academy.services import QuizError, lesson_attempt, lesson_completed, quiz_grade


@pytest.fixture
def lesson(db):
    lesson = Lesson.objects.create(
        title="Bien partager", body="**Soyez vous-même.**", published=True, pass_mark=50
    )
    for index, (text, answers) in enumerate(
        [("Q1", [("bon", True), ("faux", False)]), ("Q2", [("vrai", True), ("non", False)])]
    ):
        question = Question.objects.create(lesson=lesson, text=text, position=index)
        for answer, right in answers:
            Choice.objects.create(question=question, text=answer, is_correct=right)
    return lesson


def answers_for(lesson, *, right: int) -> dict[str, int]:
    data = {}
    for index, question in enumerate(lesson.questions.all()):
        choice = question.choices.get(is_correct=index < right)
        data[f"q{question.pk}"] = choice.pk
    return data


def as_answers(form_data: dict[str, int]) -> dict[int, int]:
    return {int(k[1:]): v for k, v in form_data.items()}


def test_grading_counts_right_answers(lesson):
    assert quiz_grade(lesson=lesson, answers=as_answers(answers_for(lesson, right=2))) == 100
    assert quiz_grade(lesson=lesson, answers=as_answers(answers_for(lesson, right=1))) == 50
    assert quiz_grade(lesson=lesson, answers=as_answers(answers_for(lesson, right=0))) == 0


def test_an_answer_from_another_question_is_refused(lesson):
    q1, q2 = lesson.questions.all()
    with pytest.raises(QuizError):
        quiz_grade(
            lesson=lesson, answers={q1.pk: q2.choices.first().pk, q2.pk: q2.choices.first().pk}
        )
    with pytest.raises(QuizError):
        quiz_grade(lesson=lesson, answers={q1.pk: q1.choices.first().pk})


def test_an_ambassador_passes_the_quiz_and_completes_the_lesson(client_for, alice, lesson):
    response = client_for(alice).post(
        reverse("academy:lesson", args=[lesson.pk]), answers_for(lesson, right=2)
    )
    assert response.status_code == 302
    attempt = LessonAttempt.objects.get(person=alice)
    assert attempt.passed and attempt.score == 100


def test_failing_records_the_attempt_but_does_not_complete(client_for, alice, lesson):
    lesson.pass_mark = 100
    lesson.save()
    response = client_for(alice).post(
        reverse("academy:lesson", args=[lesson.pk]), answers_for(lesson, right=1)
    )
    assert response.status_code == 200
    attempt = LessonAttempt.objects.get(person=alice)
    assert not attempt.passed and attempt.score == 50


@pytest.mark.parametrize("bad", [{}, {"q999": "1"}, {"qx": "abc"}])
def test_incomplete_or_forged_answers_change_nothing(client_for, alice, lesson, bad):
    response = client_for(alice).post(reverse("academy:lesson", args=[lesson.pk]), bad)
    assert response.status_code == 200
    assert not LessonAttempt.objects.exists()


def test_a_choice_of_another_question_is_refused_by_the_form(client_for, alice, lesson):
    q1, q2 = lesson.questions.all()
    data = {f"q{q1.pk}": q2.choices.first().pk, f"q{q2.pk}": q2.choices.first().pk}
    client_for(alice).post(reverse("academy:lesson", args=[lesson.pk]), data)
    assert not LessonAttempt.objects.exists()


def test_completion_is_announced_once(alice, lesson, django_capture_on_commit_callbacks):
    received = []
    lesson_completed.connect(
        lambda **kw: received.append(kw["lesson"]), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            lesson_attempt(
                person=alice, lesson=lesson, answers=as_answers(answers_for(lesson, right=2))
            )
            lesson_attempt(
                person=alice, lesson=lesson, answers=as_answers(answers_for(lesson, right=2))
            )
    finally:
        lesson_completed.disconnect(dispatch_uid="t")
    assert received == [lesson]


def test_unpublished_lessons_are_hidden_from_ambassadors(client_for, alice, lesson):
    lesson.published = False
    lesson.save()
    assert client_for(alice).get(reverse("academy:lesson", args=[lesson.pk])).status_code == 404
    assert lesson.title not in client_for(alice).get(reverse("academy:lessons")).content.decode()


def test_a_lesson_without_quiz_is_completed_by_reading(client_for, alice, db):
    lesson = Lesson.objects.create(title="Lire", body="Texte", published=True)
    client_for(alice).post(reverse("academy:lesson", args=[lesson.pk]))
    assert LessonAttempt.objects.get(person=alice, lesson=lesson).passed
