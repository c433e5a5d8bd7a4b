"""The feed's order: priority first; within the same priority, the topics I follow first
("for you"); then newest first. "Everything" and people who follow no topic: priority, newest."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.content.models import Topic
from portevoix.content.tests.factories import make_post
from portevoix.sharing.selectors import feed_for_person

NOW = timezone.now()


@pytest.fixture
def posts(db):
    sport = Topic.objects.create(name="Sport")
    emploi = Topic.objects.create(name="Emploi")

    def post(title, hours_ago, topics=(), priority=0):
        return make_post(
            title, published_at=NOW - timedelta(hours=hours_ago), topics=topics, priority=priority
        )

    post("urgent ancien", 30, priority=1)
    post("urgent emploi", 40, topics=[emploi], priority=1)
    post("récent", 1)
    post("sport", 2, topics=[sport])
    post("emploi et sport", 3, topics=[emploi, sport])
    post("emploi", 4, topics=[emploi])
    return {"sport": sport, "emploi": emploi}


def titles(person, **options):
    return [p.title for p in feed_for_person(person=person, now=NOW, **options).posts]


def test_without_followed_topics_it_is_priority_then_newest(alice, posts):
    assert titles(alice) == [
        "urgent ancien",
        "urgent emploi",
        "récent",
        "sport",
        "emploi et sport",
        "emploi",
    ]
    assert not feed_for_person(person=alice, now=NOW).follows_topics


def test_followed_topics_come_first_within_the_same_priority(alice, posts):
    alice.topics.set([posts["emploi"]])
    assert titles(alice) == [
        "urgent emploi",
        "urgent ancien",
        "emploi et sport",
        "emploi",
        "récent",
        "sport",
    ]


def test_everything_keeps_priority_then_newest(alice, posts):
    alice.topics.set([posts["emploi"]])
    assert titles(alice, for_you=False) == [
        "urgent ancien",
        "urgent emploi",
        "récent",
        "sport",
        "emploi et sport",
        "emploi",
    ]


def test_the_feed_page_switches_between_for_you_and_everything(client_for, alice, posts):
    alice.topics.set([posts["sport"]])
    client = client_for(alice)
    for_you = client.get(reverse("core:home")).content.decode()
    assert 'order=for-you" aria-current="page"' in for_you
    assert for_you.index("emploi et sport") < for_you.index("récent")
    everything = client.get(reverse("core:home"), {"order": "everything"}).content.decode()
    assert 'order=everything" aria-current="page"' in everything
    assert everything.index("récent") < everything.index("emploi et sport")


def test_the_switch_is_offered_only_to_people_who_follow_topics(client_for, alice, posts):
    assert "order=for-you" not in client_for(alice).get(reverse("core:home")).content.decode()


def test_an_unknown_order_is_refused_like_any_bad_filter(client_for, alice, posts):
    response = client_for(alice).get(reverse("core:home"), {"order": "random"})
    assert response.status_code == 200
    assert "Ce filtre n'existe plus." in response.content.decode()
