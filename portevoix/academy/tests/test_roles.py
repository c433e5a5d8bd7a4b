"""The academy for every role: everybody logged in reads lessons and answers quizzes; only the
pilot team writes lessons and questions, and a refused action changes nothing."""

import pytest

from portevoix.academy.models import Choice, Lesson, LessonAttempt, Question
from portevoix.core.tests.roles import (
    LOGGED_IN,
    PILOT,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_refused,
    client_as,
    object_url,
    refused_cases,
    snapshot,
)


@pytest.fixture
def objects(db, charter):
    lesson = Lesson.objects.create(title="Bien partager", body="Texte", published=True)
    question = Question.objects.create(lesson=lesson, text="Pourquoi personnaliser ?")
    right = Choice.objects.create(question=question, text="Pour être lu", is_correct=True)
    Choice.objects.create(question=question, text="Pour rien", is_correct=False)
    draft = Lesson.objects.create(title="Brouillon", body="Pas encore")
    return {"lesson": lesson, "question": question, "right": right, "draft": draft}


PAGES = [  # url name, object it needs, who opens it
    ("academy:lessons", None, LOGGED_IN),
    ("academy:lesson", "lesson", LOGGED_IN),
    ("academy:lesson_manage", None, PILOT),
    ("academy:lesson_create", None, PILOT),
    ("academy:lesson_edit", "lesson", PILOT),
    ("academy:lesson_edit", "draft", PILOT),
]


def lesson_data(objects: dict) -> dict:
    return {
        "title": "Nouvelle leçon",
        "language": "fr",
        "summary": "",
        "body": "Texte",
        "position": 0,
        "pass_mark": 70,
        "published": "on",
    }


def question_data(objects: dict) -> dict:
    return {"text": "Que dit la charte ?", "choices": "*D'être authentique\nRien du tout"}


def quiz_answers(objects: dict) -> dict:
    return {f"q{objects['question'].pk}": objects["right"].pk}


def nothing(objects: dict) -> dict:
    return {}


ACTIONS = [  # url name, object, who may, valid form data
    ("academy:lesson", "lesson", LOGGED_IN, quiz_answers),
    ("academy:lesson_create", None, PILOT, lesson_data),
    ("academy:lesson_edit", "lesson", PILOT, lesson_data),
    ("academy:question_add", "lesson", PILOT, question_data),
    ("academy:question_delete", "question", PILOT, nothing),
]
STATE = (Lesson, Question, Choice, LessonAttempt)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,kind,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, kind, allowed):
    response = client_as(request, who).get(object_url(objects, name, kind))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who", sorted(LOGGED_IN))
def test_an_unpublished_lesson_is_a_preview_for_the_pilot_team_only(request, objects, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    page = client.get(object_url(objects, "academy:lesson", "draft"))
    answered = client.post(object_url(objects, "academy:lesson", "draft"))
    if who in PILOT:
        assert (page.status_code, answered.status_code) == (200, 200)
    else:
        assert (page.status_code, answered.status_code) == (404, 404)
    assert snapshot(*STATE) == before  # a preview records no attempt


@pytest.mark.parametrize(
    "who,name,kind,data",
    refused_cases(ACTIONS),
)
def test_a_refused_action_changes_nothing(request, objects, who, name, kind, data):
    client = client_as(request, who)
    before = snapshot(*STATE)
    assert_refused(client.get(object_url(objects, name, kind)), who)
    assert_refused(client.post(object_url(objects, name, kind), data(objects)), who)
    assert snapshot(*STATE) == before


@pytest.mark.parametrize(
    "who,name,kind,data",
    allowed_cases(ACTIONS),
)
def test_an_allowed_action_does_its_work(request, objects, who, name, kind, data):
    assert_post_done(client_as(request, who), object_url(objects, name, kind), data(objects), STATE)


@pytest.mark.parametrize("who", sorted(PILOT))
def test_question_urls_take_only_posts(request, objects, who):
    client = client_as(request, who)
    assert client.get(object_url(objects, "academy:question_add", "lesson")).status_code == 405
    assert client.get(object_url(objects, "academy:question_delete", "question")).status_code == 405
    assert Question.objects.count() == 1
