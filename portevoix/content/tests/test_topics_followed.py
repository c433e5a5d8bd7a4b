"""Each person chooses the topics they follow on their own page (reached from the profile, the
feed's order switch and the onboarding checklist). The follows are content's Topic.followers,
on the table accounts' Person.topics created: moving the field moved no row."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import Person
from portevoix.content.models import Topic
from portevoix.content.tests.factories import make_post

PAGE = reverse("content:topics_followed")


@pytest.fixture
def topics(db):
    return {name: Topic.objects.create(name=name) for name in ["Emploi", "Innovation", "RH"]}


def test_a_person_chooses_the_topics_they_follow(client_for, alice, topics):
    client = client_for(alice)
    page = client.get(PAGE).content.decode()
    assert "Thèmes que je suis" in page and "Innovation" in page
    response = client.post(PAGE, {"topics": [topics["Innovation"].pk, topics["RH"].pk]})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert list(alice.topics.all()) == [topics["Innovation"], topics["RH"]]
    assert "Vos thèmes sont enregistrés." in client.get(PAGE).content.decode()


def test_the_page_ticks_what_i_follow_and_unticking_stops_following(client_for, alice, topics):
    alice.topics.set([topics["Emploi"], topics["RH"]])
    client = client_for(alice)
    page = client.get(PAGE).content.decode()
    assert page.count("checked") == 2
    client.post(PAGE, {"topics": [topics["RH"].pk]})
    assert list(alice.topics.all()) == [topics["RH"]]
    client.post(PAGE, {})
    assert not alice.topics.exists()
    assert Topic.objects.count() == 3  # unfollowing keeps the topic


def test_my_choice_leaves_other_peoples_follows_alone(client_for, alice, bob, topics):
    bob.topics.set([topics["Emploi"]])
    client_for(alice).post(PAGE, {"topics": [topics["RH"].pk]})
    assert list(bob.topics.all()) == [topics["Emploi"]]


@pytest.mark.parametrize(
    "value", ["999999", "innovation", "", "99999999999999999999", "9223372036854775808", "-1"]
)
def test_an_unknown_topic_is_refused_and_changes_nothing(client_for, alice, topics, value):
    alice.topics.set([topics["Emploi"]])
    response = client_for(alice).post(PAGE, {"topics": [topics["RH"].pk, value]})
    assert response.status_code == 200
    assert "Merci de corriger les erreurs ci-dessous." in response.content.decode()
    assert list(alice.topics.all()) == [topics["Emploi"]]


def test_without_topics_the_page_says_so(client_for, alice):
    page = client_for(alice).get(PAGE).content.decode()
    assert "Pas encore de thème" in page and "Enregistrer mes thèmes" not in page


def test_the_profile_links_to_the_page_and_its_save_keeps_my_topics(client_for, alice, topics):
    alice.topics.set([topics["RH"]])
    client = client_for(alice)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{PAGE}"' in profile and 'name="topics"' not in profile
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Alice Martin", "language": "fr", "time_zone": "Europe/Paris"}
        | {"digest_frequency": "weekly", "topics": [topics["Emploi"].pk]},
    )
    assert response.status_code == 302
    assert list(alice.topics.all()) == [topics["RH"]]


def test_the_feed_links_to_the_page_with_or_without_followed_topics(client_for, alice, topics):
    make_post("Un post", topics=[topics["RH"]])
    client = client_for(alice)
    assert f'href="{PAGE}"' in client.get(reverse("core:home")).content.decode()
    alice.topics.set([topics["RH"]])
    home = client.get(reverse("core:home")).content.decode()
    switch = home[
        home.index('class="tabs feed-order"') : home.index("</nav>", home.index("feed-order"))
    ]
    assert f'href="{PAGE}"' in switch


def test_the_checklist_step_leads_to_the_page(alice):
    from portevoix.academy.checklist import onboarding_checklist

    step = {s.key: s for s in onboarding_checklist(alice)}["topics"]
    assert step.url == PAGE


def test_my_followed_topics_are_in_my_data_and_go_with_my_account(client_for, alice, bob, topics):
    alice.topics.set([topics["Emploi"], topics["RH"]])
    bob.topics.set([topics["RH"]])
    client = client_for(alice)
    data = json.loads(client.get(reverse("accounts:my_data_export")).content)
    assert data["content"]["topics_followed"] == ["Emploi", "RH"]

    client.post(reverse("accounts:my_account_erase"), {"password": PASSWORD})
    assert not Person.objects.filter(pk=alice.pk).exists()
    assert not Topic.followers.through.objects.filter(person_id=alice.pk).exists()
    assert list(bob.topics.all()) == [topics["RH"]]
    assert Topic.objects.count() == 3


def test_the_follows_live_on_the_table_person_topics_created(db):
    """The models' state names the table and columns the database has (SQLite, PostgreSQL)."""
    through = Topic.followers.through
    assert through._meta.db_table == "accounts_person_topics"
    columns = {f.column for f in through._meta.local_fields}
    assert columns == {"id", "topic_id", "person_id"}
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, "accounts_person_topics")
        constraints = connection.introspection.get_constraints(cursor, "accounts_person_topics")
    assert {c.name for c in described} == columns
    assert any(
        c["unique"] and set(c["columns"]) == {"person_id", "topic_id"} for c in constraints.values()
    )
    targets = {
        tuple(c["columns"]): c["foreign_key"] for c in constraints.values() if c["foreign_key"]
    }
    assert targets == {
        ("person_id",): ("accounts_person", "id"),
        ("topic_id",): ("content_topic", "id"),
    }


@pytest.mark.django_db(transaction=True)
def test_moving_the_field_keeps_every_follow_both_ways(alice, bob):
    energy, jobs = Topic.objects.create(name="Énergie"), Topic.objects.create(name="Emploi")
    alice.topics.set([energy, jobs])
    executor = MigrationExecutor(connection)
    before = [("accounts", "0005_two_factor"), ("content", "0002_content_hub")]
    # Back to every app's latest state: migrating these two back also unapplied the
    # migrations of other apps that depend on them.
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)

    # Before: the field is accounts' Person.topics, and sees the follows made after.
    old = executor.loader.project_state(before).apps
    OldPerson = old.get_model("accounts", "Person")
    assert sorted(OldPerson.objects.get(pk=alice.pk).topics.values_list("name", flat=True)) == [
        "Emploi",
        "Énergie",
    ]
    OldPerson.objects.get(pk=bob.pk).topics.add(jobs.pk)

    MigrationExecutor(connection).migrate(latest)
    assert list(alice.topics.order_by("name")) == [jobs, energy]
    assert list(bob.topics.all()) == [jobs]
    assert list(jobs.followers.order_by("email")) == [alice, bob]
