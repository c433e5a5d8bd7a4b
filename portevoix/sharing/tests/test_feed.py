"""Targeting: a post is in my feed only for my groups (or everybody), my language (or every
language), open to alumni when I am one, scheduled or published, from its publication time
(included) to its expiry (excluded)."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.content.models import Campaign, PostKind, PostStatus, Topic
from portevoix.content.tests.factories import make_post
from portevoix.sharing.models import Share
from portevoix.sharing.selectors import FEED_PAGE_SIZE, feed_for_person, visible_posts

NOW = timezone.now().replace(microsecond=0)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
# (published_at, expires_at, in the feed at NOW?)
DATES = {
    "published an hour ago": (NOW - HOUR, None, True),
    "published this very second": (NOW, None, True),
    "publishes in one second": (NOW + SECOND, None, False),
    "expires this very second": (NOW - HOUR, NOW, False),
    "expires in one second": (NOW - HOUR, NOW + SECOND, True),
    "expired an hour ago": (NOW - 2 * HOUR, NOW - HOUR, False),
}


@pytest.fixture
def groups(db):
    return {name: Group.objects.create(name=name) for name in ("Lyon", "Ventes", "Paris")}


def test_every_combination_of_groups_language_alumni_and_dates(db, charter, groups):
    lyon, ventes = groups["Lyon"], groups["Ventes"]
    group_choices = {"everybody": [], "Lyon": [lyon], "Ventes": [ventes], "both": [lyon, ventes]}
    language_choices = {"all": [], "fr": ["fr"], "en": ["en"], "fr+en": ["fr", "en"]}
    expected_rules = {}
    for (g_name, g), (l_name, langs), alumni, (d_name, (start, end, live)) in itertools.product(
        group_choices.items(), language_choices.items(), (True, False), DATES.items()
    ):
        post = make_post(
            f"{g_name}/{l_name}/{alumni}/{d_name}",
            groups=g,
            languages=langs,
            open_to_alumni=alumni,
            published_at=start,
            expires_at=end,
        )
        expected_rules[post.pk] = ({x.pk for x in g}, set(langs), alumni, live)

    people_choices = itertools.product(
        {
            "none": [],
            "Lyon": [lyon],
            "Lyon+Ventes": [lyon, ventes],
            "Paris": [groups["Paris"]],
        }.items(),
        ("fr", "en"),
        ("ambassador", "alumni", "editor"),
    )
    for index, ((p_name, p_groups), language, role) in enumerate(people_choices):
        person = make_person(f"p{index}@example.com", f"{p_name} {language} {role}", role)
        person.language = language
        person.save()
        person.groups.set(p_groups)
        mine = {x.pk for x in p_groups}
        expected = {
            pk
            for pk, (targets, langs, alumni, live) in expected_rules.items()
            if live
            and (not targets or targets & mine)
            and (not langs or language in langs)
            and (alumni or role != "alumni")
        }
        seen = set(visible_posts(person=person, now=NOW).values_list("pk", flat=True))
        assert seen == expected, (p_name, language, role)
        assert expected, "each person sees something: the test would be vacuous otherwise"


@pytest.mark.parametrize("name", DATES)
def test_edge_times(alice, name):
    start, end, live = DATES[name]
    post = make_post(published_at=start, expires_at=end)
    assert (post in visible_posts(person=alice, now=NOW)) is live


@pytest.mark.parametrize(
    "status,live",
    [
        (PostStatus.DRAFT, False),
        (PostStatus.IN_REVIEW, False),
        (PostStatus.SCHEDULED, True),  # its time has come, before the scheduler's minute
        (PostStatus.PUBLISHED, True),
        (PostStatus.EXPIRED, False),
        (PostStatus.ARCHIVED, False),
    ],
)
def test_only_scheduled_and_published_posts_are_in_the_feed(alice, status, live):
    post = make_post(status=status)
    assert (post in visible_posts(person=alice)) is live


def test_a_post_without_publication_date_is_not_in_the_feed(alice):
    post = make_post()
    post.published_at = None
    post.save()
    assert post not in visible_posts(person=alice)


def test_priority_first_then_newest(alice):
    old_top = make_post("old top", priority=2, published_at=NOW - 5 * HOUR)
    new_normal = make_post("new normal", priority=0, published_at=NOW - HOUR)
    old_normal = make_post("old normal", priority=0, published_at=NOW - 3 * HOUR)
    new_high = make_post("new high", priority=1, published_at=NOW - 2 * HOUR)
    feed = feed_for_person(person=alice, now=NOW)
    assert feed.posts == [old_top, new_high, new_normal, old_normal]


def test_filters_by_topic_and_campaign(alice):
    energy, jobs = Topic.objects.create(name="Énergie"), Topic.objects.create(name="Emploi")
    spring = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    a = make_post("a", topics=[energy], campaign=spring)
    b = make_post("b", topics=[energy, jobs])
    c = make_post("c", topics=[jobs], campaign=spring)
    assert set(feed_for_person(person=alice, topic_id=energy.pk).posts) == {a, b}
    assert set(feed_for_person(person=alice, campaign_id=spring.pk).posts) == {a, c}
    assert feed_for_person(person=alice, topic_id=jobs.pk, campaign_id=spring.pk).posts == [c]


def test_marks_what_i_already_shared(alice, bob):
    shared, other = make_post("shared"), make_post("other")
    Share.objects.create(post=shared, person=alice, network="x", text="hop")
    Share.objects.create(post=other, person=bob, network="x", text="hop")
    marks = {p.title: p.already_shared for p in feed_for_person(person=alice).posts}
    assert marks == {"shared": True, "other": False}


def test_pages_without_counting(alice):
    for i in range(FEED_PAGE_SIZE + 3):
        make_post(f"post {i}", published_at=NOW - (i + 1) * SECOND)
    first = feed_for_person(person=alice, now=NOW)
    second = feed_for_person(person=alice, page=2, now=NOW)
    assert len(first.posts) == FEED_PAGE_SIZE and first.has_next
    assert [p.title for p in second.posts] == [
        f"post {i}" for i in range(FEED_PAGE_SIZE, FEED_PAGE_SIZE + 3)
    ]
    assert not second.has_next


def test_the_home_page_shows_my_feed(client_for, alice, dave):
    make_post("Pour tous", open_to_alumni=True)
    make_post("Salariés seulement")
    make_post("Annonce interne", kind=PostKind.ANNOUNCEMENT)
    page = client_for(alice).get(reverse("core:home")).content.decode()
    assert "Pour tous" in page and "Salariés seulement" in page
    assert "Annonce interne" in page and "pour la lecture, pas pour le partage" in page
    page = client_for(dave).get(reverse("core:home")).content.decode()
    assert "Pour tous" in page and "Salariés seulement" not in page


def test_the_home_page_filters_and_survives_bad_filters(client_for, alice):
    topic = Topic.objects.create(name="Innovation")
    make_post("Avec sujet", topics=[topic])
    make_post("Sans sujet")
    client = client_for(alice)
    page = client.get(reverse("core:home"), {"topic": topic.pk}).content.decode()
    assert "Avec sujet" in page and "Sans sujet" not in page
    response = client.get(reverse("core:home"), {"topic": "9999", "page": "abc"})
    assert response.status_code == 200
    assert "Avec sujet" in response.content.decode() and "Sans sujet" in response.content.decode()


def test_someone_not_opted_in_sees_the_call_out_and_the_feed(client_for, erin):
    make_post("À partager")
    page = client_for(erin).get(reverse("core:home")).content.decode()
    assert "Je veux devenir ambassadeur" in page
    assert "À partager" in page
