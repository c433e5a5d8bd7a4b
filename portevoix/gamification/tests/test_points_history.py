"""The points history says what each line is about: the post, the lesson, the suggestion."""

from django.urls import reverse
from django.utils import timezone

from portevoix.academy.models import Lesson
from portevoix.academy.services import lesson_attempt
from portevoix.content.tests.factories import make_post
from portevoix.gamification.activity import conversion_score, verified_clicks_score
from portevoix.gamification.history import points_history
from portevoix.gamification.models import Action
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Conversion, ConversionSource


def test_each_line_of_my_points_names_the_post_it_came_from(
    client_for, alice, django_capture_on_commit_callbacks
):
    post = make_post("Nos éoliennes en mer")
    other = make_post("Portes ouvertes à l'usine")
    link = tracked_link_for(post=post, ambassador=alice, network="linkedin")
    Share.objects.create(post=post, person=alice, network="linkedin", tracked_link=link)
    other_link = tracked_link_for(post=other, ambassador=alice, network="x")
    now = timezone.now().timestamp()
    verified_clicks_score(
        clicks=[
            ("c000000000000001", link.pk, alice.pk, post.pk, now - 60),
            ("c000000000000002", other_link.pk, alice.pk, other.pk, now - 30),
        ]
    )
    conversion = Conversion.objects.create(
        click_id="c000000000000001", link=link, goal="lead", source=ConversionSource.API
    )
    conversion_score(conversion=conversion)
    lesson = Lesson.objects.create(title="Bien choisir ses mots", body="B", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_attempt(person=alice, lesson=lesson, answers={})

    lines = {(line.entry.action, line.subject) for line in points_history(person=alice)}
    assert lines == {
        (Action.SHARE, "Nos éoliennes en mer"),
        (Action.VERIFIED_CLICK, "Nos éoliennes en mer"),
        (Action.VERIFIED_CLICK, "Portes ouvertes à l'usine"),
        (Action.CONVERSION, "Nos éoliennes en mer"),
        (Action.LESSON_COMPLETED, "Bien choisir ses mots"),
    }
    page = client_for(alice).get(reverse("gamification:mine")).content.decode()
    assert page.count("Nos éoliennes en mer") == 3
    assert "Portes ouvertes à l&#x27;usine" in page and "Bien choisir ses mots" in page


def test_the_history_reads_its_subjects_in_a_few_queries(
    alice, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    posts = [make_post(f"Publication {n}") for n in range(8)]
    now = timezone.now().timestamp()
    clicks = []
    for n, post in enumerate(posts):
        link = tracked_link_for(post=post, ambassador=alice, network="linkedin")
        clicks.append((f"c{n:015d}", link.pk, alice.pk, post.pk, now - n))
    verified_clicks_score(clicks=clicks)
    # The entries, then the posts of the links: not one query per line.
    with django_assert_max_num_queries(4):
        lines = points_history(person=alice)
    assert sorted(line.subject for line in lines) == [f"Publication {n}" for n in range(8)]
