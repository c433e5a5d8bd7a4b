"""A small organisation with two entities, Paris and Lyon, and the pilot team's objects on
each side, for the entity-scope tests (pages and API): plain functions, not fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import make_person
from portevoix.accounts.models import Group, GroupKind, Person
from portevoix.accounts.scopes import person_scope_set
from portevoix.content.models import Suggestion
from portevoix.content.tests.factories import make_post
from portevoix.gamification.models import Challenge, Metric
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for
from portevoix.veille.models import Alert, AlertKind, Item, Source, Watch


@dataclass
class World:
    paris: Group
    lyon: Group
    sam: Person  # editor for Paris only
    sara: Person  # admin for Paris only
    bob: Person  # editor for the whole organisation
    objects: dict[str, Any]


def _veille(key: str, city: str, creator: Person, objects: dict[str, Any]) -> None:
    source = Source.objects.create(
        name=f"Source {city}", url=f"https://{city.lower()}.example/feed", created_by=creator
    )
    watch = Watch.objects.create(name=f"Veille {city}", terms=city, created_by=creator)
    item = Item.objects.create(
        source=source,
        title=f"Article {city}",
        title_date_key=f"{city}-1",
        link=f"https://{city.lower()}.example/a",
        dated_at=timezone.now() - timedelta(hours=2),
    )
    alert = Alert.objects.create(kind=AlertKind.NEGATIVE_RISE, watch=watch, negative_count=7)
    objects |= {
        f"source_{key}": source,
        f"watch_{key}": watch,
        f"item_{key}": item,
        f"alert_{key}": alert,
    }


def scoped_world(bob: Person) -> World:
    paris = Group.objects.create(name="Paris", kind=GroupKind.ENTITY)
    lyon = Group.objects.create(name="Lyon", kind=GroupKind.ENTITY)
    sam = make_person("sam@example.com", "Sam Paris", "editor")
    person_scope_set(person=sam, groups=[paris])
    sara = make_person("sara@example.com", "Sara Paris", "admin")
    person_scope_set(person=sara, groups=[paris])
    paula = make_person("paula@example.com", "Paula Parisienne", "ambassador")
    paula.groups.set([paris])
    leo = make_person("leo@example.com", "Léo Lyonnais", "ambassador")
    leo.groups.set([lyon])
    post_in = make_post("Paris post", groups=[paris], url="https://www.lumiere.example/paris")
    post_out = make_post("Lyon post", groups=[lyon], url="https://www.lumiere.example/lyon")
    link_in = tracked_link_for(post=post_in, ambassador=paula, network="linkedin")
    link_out = tracked_link_for(post=post_out, ambassador=leo, network="linkedin")
    Share.objects.create(post=post_in, person=paula, network="linkedin", tracked_link=link_in)
    Share.objects.create(post=post_out, person=leo, network="linkedin", tracked_link=link_out)
    now = timezone.now()
    objects: dict[str, Any] = {
        "paris": paris,
        "lyon": lyon,
        "paula": paula,
        "leo": leo,
        "post_in": post_in,
        "post_out": post_out,
        "link_in": link_in,
        "link_out": link_out,
        "suggestion_in": Suggestion.objects.create(author=paula, text="Idée de Paula"),
        "suggestion_out": Suggestion.objects.create(author=leo, text="Idée de Léo"),
    }
    for key, post in (("in", post_in), ("out", post_out)):
        challenge = Challenge.objects.create(
            title=f"Défi {post.title}",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=6),
            metric=Metric.SHARES,
        )
        challenge.posts.set([post])
        objects[f"challenge_{key}"] = challenge
    _veille("in", "Paris", sam, objects)
    _veille("out", "Lyon", bob, objects)
    return World(paris=paris, lyon=lyon, sam=sam, sara=sara, bob=bob, objects=objects)
