"""Demo shares: ambassadors relaying the demo posts over the last months, some with their own
words, many with the suggested text as is (so the authenticity nudge has something to say).

Leaves `world.shares` for the parts built after it (clicks)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.content.models import PostStatus
from portevoix.core.demo import DemoWorld
from portevoix.sharing.models import Share
from portevoix.sharing.selectors import visible_posts
from portevoix.sharing.shares import text_fingerprint
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import TrackedLink

OPENINGS = [
    "Très fière de mes collègues :",
    "À lire absolument !",
    "Ça me tient à cœur :",
    "Bravo à toute l'équipe !",
    "Je travaille sur ce projet depuis deux ans, quelle fierté.",
    "Si vous cherchez un métier qui a du sens :",
]


def build(world: DemoWorld) -> None:
    rng = world.rng
    now = timezone.now()
    posts = [
        p
        for p in getattr(world, "posts", [])
        if p.is_shareable and p.status in (PostStatus.PUBLISHED, PostStatus.EXPIRED)
    ]
    sharers = [p for p in world.people if p.opted_in_at and p.is_active and p.activated_at]
    networks_of = {
        person.pk: [a.network for a in person.network_accounts.all()] or ["linkedin"]
        for person in sharers
    }
    sophie = next((p for p in sharers if p.email == "ambassadrice@lumiere-demo.fr"), None)
    shares = []
    for post in posts:
        end = min(post.expires_at or now, now)
        span = (end - post.published_at).total_seconds()
        messages = list(post.messages.all())
        chosen = rng.sample(sharers, k=min(len(sharers), rng.randint(8, 30)))
        if sophie is not None and rng.random() < 0.6 and sophie not in chosen:
            chosen.append(sophie)
        for person in chosen:
            # Most shares come in the first days after publication.
            at = post.published_at + timedelta(seconds=span * rng.random() ** 2)
            if at < person.opted_in_at or post not in visible_posts(person=person, now=at):
                continue
            networks = networks_of[person.pk]
            network = (
                "linkedin"
                if "linkedin" in networks and rng.random() < 0.5
                else rng.choice(networks)
            )
            text = rng.choice(messages).text if messages else ""
            if text and rng.random() < 0.4:
                text = f"{rng.choice(OPENINGS)} {text}"
            link = tracked_link_for(post=post, ambassador=person, network=network)
            TrackedLink.objects.filter(pk=link.pk, created_at__gt=at).update(created_at=at)
            shares.append(
                Share(
                    post=post,
                    person=person,
                    network=network,
                    text=text,
                    fingerprint=text_fingerprint(text),
                    tracked_link=link,
                    created_at=at,
                )
            )
    world.shares = Share.objects.bulk_create(shares)
