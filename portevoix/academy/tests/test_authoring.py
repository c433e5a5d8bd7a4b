"""Questions are added after a lesson's others, with their choices, at once."""

from portevoix.academy.authoring import question_create
from portevoix.academy.models import Lesson


def test_questions_come_in_the_order_they_were_added(db):
    lesson = Lesson.objects.create(title="Partager", body="Texte")
    first = question_create(lesson=lesson, text="Un ?", choices=[("oui", True), ("non", False)])
    second = question_create(lesson=lesson, text="Deux ?", choices=[("a", False), ("b", True)])
    assert (first.position, second.position) == (0, 1)
    assert [(c.text, c.is_correct) for c in second.choices.order_by("id")] == [
        ("a", False),
        ("b", True),
    ]
