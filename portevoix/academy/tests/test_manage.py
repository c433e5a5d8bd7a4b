import pytest
from django.urls import reverse

from portevoix.academy.models import Lesson, Question

LESSON = {
    "title": "Nouvelle leçon",
    "language": "fr",
    "summary": "",
    "body": "Texte",
    "position": 0,
    "pass_mark": 70,
    "published": "on",
}


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_only_the_pilot_team_manages_lessons(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("academy:lesson_manage")).status_code == 403
    assert client.post(reverse("academy:lesson_create"), LESSON).status_code == 403
    assert not Lesson.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_editors_and_admins_write_a_lesson_with_a_quiz(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("academy:lesson_create"), LESSON)
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    response = client.post(
        reverse("academy:question_add", args=[lesson.pk]),
        {"text": "Pourquoi personnaliser ?", "choices": "*Pour être lu\nPour rien\n"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Pour être lu", True),
        ("Pour rien", False),
    ]
    client.post(reverse("academy:question_delete", args=[question.pk]))
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "choices", ["Une seule", "Pas de bonne\nréponse", "\n".join(f"*r{i}" for i in range(7)), ""]
)
def test_bad_questions_are_refused(client_for, bob, choices):
    lesson = Lesson.objects.create(title="L", body="B")
    response = client_for(bob).post(
        reverse("academy:question_add", args=[lesson.pk]), {"text": "Q ?", "choices": choices}
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


@pytest.mark.parametrize("field,value", [("pass_mark", "150"), ("language", "de"), ("title", "")])
def test_bad_lessons_are_refused(client_for, bob, field, value):
    response = client_for(bob).post(reverse("academy:lesson_create"), {**LESSON, field: value})
    assert response.status_code == 200
    assert not Lesson.objects.exists()


def test_a_lesson_gets_an_illustration_and_a_fake_image_is_refused(client_for, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portevoix.content.tests.factories import image_bytes

    client = client_for(bob)
    fake = SimpleUploadedFile("photo.png", b"not really a png", "image/png")
    response = client.post(reverse("academy:lesson_create"), {**LESSON, "image": fake})
    assert response.status_code == 200
    assert not Lesson.objects.exists()
    real = SimpleUploadedFile("photo.png", image_bytes(), "image/png")
    assert (
        client.post(reverse("academy:lesson_create"), {**LESSON, "image": real}).status_code == 302
    )
    lesson = Lesson.objects.get()
    assert lesson.image.name.startswith("lessons/") and "photo" not in lesson.image.name
    page = client.get(reverse("academy:lesson", args=[lesson.pk])).content.decode()
    assert lesson.image.url in page


def test_an_illustration_is_stored_under_its_real_format(client_for, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portevoix.content.tests.factories import image_bytes

    # A PNG named as a JPEG: served as .png, never with the uploader's extension.
    disguised = SimpleUploadedFile("illustration.jpg", image_bytes(), "image/jpeg")
    response = client_for(bob).post(
        reverse("academy:lesson_create"), {**LESSON, "image": disguised}
    )
    assert response.status_code == 302
    assert Lesson.objects.get().image.name.endswith(".png")
