import pytest
from django.urls import reverse

from portevoix.academy.models import Lesson
from portevoix.academy.services import lesson_attempt
from portevoix.gamification.models import Action, BadgeAward, PointEntry, PointRule

RULES = {
    "share": "12",
    "verified_click": "3",
    "suggestion_accepted": "15",
    "lesson_completed": "20",
    "conversion": "50",
    "daily_cap_per_link": "5",
}


def test_admin_changes_rules_and_history_is_kept(client_for, carol):
    response = client_for(carol).post(reverse("gamification:rules"), RULES)
    assert response.status_code == 302
    assert PointRule.objects.get(action="share").points == 12
    assert PointRule.objects.get(action="verified_click").daily_cap_per_link == 5
    client_for(carol).post(reverse("gamification:rules"), {**RULES, "share": "20"})
    assert list(PointRule.objects.filter(action="share").values_list("points", flat=True)) == [
        20,
        12,
    ]


@pytest.mark.parametrize(
    "field,value", [("share", "-1"), ("conversion", "abc"), ("daily_cap_per_link", "100000")]
)
def test_bad_rules_change_nothing(client_for, carol, field, value):
    response = client_for(carol).post(reverse("gamification:rules"), {**RULES, field: value})
    assert response.status_code == 200
    assert not PointRule.objects.exists()


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "erin"])
def test_only_admins_edit_rules(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("gamification:rules"), RULES).status_code == 403
    assert not PointRule.objects.exists()


def test_completing_a_lesson_earns_points_and_the_trained_badge(
    alice, django_capture_on_commit_callbacks
):
    lesson = Lesson.objects.create(title="L", body="B", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_attempt(person=alice, lesson=lesson, answers={})
    entry = PointEntry.objects.get(person=alice)
    assert (entry.action, entry.points) == (Action.LESSON_COMPLETED, 20)
    assert BadgeAward.objects.filter(person=alice, badge="trained").exists()


def test_my_points_page_explains_my_total(client_for, alice, django_capture_on_commit_callbacks):
    lesson = Lesson.objects.create(title="L", body="B", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_attempt(person=alice, lesson=lesson, answers={})
    page = client_for(alice).get(reverse("gamification:mine")).content.decode()
    assert "20 points" in page and "Leçon terminée" in page or "Lesson completed" in page
