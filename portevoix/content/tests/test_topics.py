import pytest
from django.urls import reverse

from portevoix.content.models import Topic
from portevoix.content.tests.factories import make_post


def test_an_editor_adds_and_deletes_an_unused_topic(client_for, bob):
    client = client_for(bob)
    assert client.post(reverse("content:topics"), {"name": "Mobilité"}).status_code == 302
    topic = Topic.objects.get()
    assert client.post(reverse("content:topic_delete", args=[topic.pk])).status_code == 302
    assert not Topic.objects.exists()


def test_a_topic_in_use_stays_and_names_are_unique(client_for, bob):
    topic = Topic.objects.create(name="Énergie")
    make_post(topics=[topic])
    client = client_for(bob)
    client.post(reverse("content:topic_delete", args=[topic.pk]))
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert client.post(reverse("content:topics"), {"name": "Énergie"}).status_code == 200
    assert client.post(reverse("content:topics"), {"name": ""}).status_code == 200
    assert Topic.objects.count() == 1


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_ambassadors_cannot_change_topics(request, db, client_for, who):
    topic = Topic.objects.create(name="Énergie")
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("content:topics"), {"name": "X"}).status_code == 403
    assert client.post(reverse("content:topic_delete", args=[topic.pk])).status_code == 403
    assert list(Topic.objects.values_list("name", flat=True)) == ["Énergie"]
