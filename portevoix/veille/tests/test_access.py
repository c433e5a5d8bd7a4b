"""Veille is for the pilot team only: every page and action, for every role."""

import pytest
from django.urls import reverse

from portevoix.veille.models import Item, Source, Watch


@pytest.fixture
def objects(db):
    source = Source.objects.create(name="Blog", url="https://blog.example/feed")
    item = Item.objects.create(
        source=source, title="Un article", title_date_key="k", dated_at="2026-11-10T10:00Z"
    )
    watch = Watch.objects.create(name="Marque", terms="Lumière")
    return {"source": source, "item": item, "watch": watch}


PAGES = [
    ("veille:inbox", None),
    ("veille:sources", None),
    ("veille:source_create", None),
    ("veille:source_edit", "source"),
    ("veille:watches", None),
    ("veille:watch_create", None),
    ("veille:watch", "watch"),
    ("veille:watch_edit", "watch"),
    ("veille:alerts", None),
]
ACTIONS = [
    ("veille:item_draft", "item"),
    ("veille:item_dismiss", "item"),
    ("veille:source_fetch", "source"),
    ("veille:source_delete", "source"),
    ("veille:watch_delete", "watch"),
    ("veille:alerts_read", None),
]


def url(objects, name, kind):
    return reverse(name, args=[objects[kind].pk] if kind else [])


@pytest.mark.parametrize("name,kind", PAGES)
@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_pilot_team_reaches_every_page(request, client_for, objects, who, name, kind):
    person = request.getfixturevalue(who)
    assert client_for(person).get(url(objects, name, kind)).status_code == 200


@pytest.mark.parametrize("name,kind", PAGES + ACTIONS)
@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_ambassadors_and_alumni_are_refused(request, client_for, objects, who, name, kind):
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get(url(objects, name, kind)).status_code == 403
    assert client.post(url(objects, name, kind)).status_code == 403
    # Nothing changed.
    assert Source.objects.count() == 1 and Watch.objects.count() == 1
    item = Item.objects.get()
    assert item.post is None and item.dismissed_at is None


@pytest.mark.parametrize("name,kind", PAGES + ACTIONS)
def test_anonymous_visitors_are_sent_to_login(client, objects, name, kind):
    for response in (client.get(url(objects, name, kind)), client.post(url(objects, name, kind))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    # Nothing changed.
    assert Source.objects.count() == 1 and Watch.objects.count() == 1
    item = Item.objects.get()
    assert item.post is None and item.dismissed_at is None


def test_the_navigation_shows_veille_to_the_pilot_team_only(client_for, alice, bob, dave):
    inbox = reverse("veille:inbox")
    assert inbox in client_for(bob).get(reverse("core:home")).content.decode()
    for person in (alice, dave):
        assert inbox not in client_for(person).get(reverse("core:home")).content.decode()
