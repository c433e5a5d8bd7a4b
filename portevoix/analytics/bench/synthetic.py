"""A large synthetic organisation for the benchmark: people, groups, posts, shares, links, and
clicks written into the counters through `rollups_add()` (the writer ingestion uses), without
raw clicks.

Clicks of a link fall in two hours (the hour after the share, and the same hour the next day),
which is how real clicks bunch up and keeps the number of counter rows realistic.
"""

from __future__ import annotations

import random
import string
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portevoix.accounts.models import Group, NetworkAccount, Person
from portevoix.analytics.activity import activity_rebuild_all
from portevoix.content.models import Campaign, Post
from portevoix.core.memory import cyclic_gc_paused
from portevoix.sharing.models import Share
from portevoix.tracking.models import ClickKind, TrackedLink
from portevoix.tracking.rollups import Attribution, Buckets, ClassifiedClick, rollups_add
from portevoix.tracking.visitors import local_day, visitor_keys_destroy_expired

NETWORKS = ["linkedin", "linkedin", "linkedin", "x", "facebook", "bluesky", "mastodon"]
KINDS = [ClickKind.VERIFIED] * 70 + [ClickKind.REPEAT] * 10 + [ClickKind.BOT] * 15
KINDS += [ClickKind.SELF] * 5
BATCH = 5_000
CLICK_BATCH = 200_000  # clicks per rollups_add() call and transaction


def _code(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=12))


def synthetic_build(
    *, people: int, posts: int, shares: int, clicks: int, seed: int = 1, log=print
) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    year = timedelta(days=365)
    groups = Group.objects.bulk_create([Group(name=f"Équipe {n:02d}") for n in range(20)])
    folks = Person.objects.bulk_create(
        [
            Person(
                email=f"synth{n}@example.com",
                full_name=f"Personne {n}",
                password="!",
                date_joined=now - year * 2,
                activated_at=now - year * 2,
                opted_in_at=now - year * 2 + timedelta(days=rng.uniform(0, 600)),
                hide_from_rankings=rng.random() < 0.05,
            )
            for n in range(people)
        ],
        batch_size=BATCH,
    )
    membership = Person.groups.through
    membership.objects.bulk_create(
        [membership(person_id=p.pk, group_id=rng.choice(groups).pk) for p in folks],
        batch_size=BATCH,
    )
    group_of = {m.person_id: m.group_id for m in membership.objects.all()}
    NetworkAccount.objects.bulk_create(
        [
            NetworkAccount(person=p, network=network, followers=rng.randint(50, 5000))
            for p in folks
            for network in {rng.choice(NETWORKS), "linkedin"}
        ],
        batch_size=BATCH,
    )
    campaigns = Campaign.objects.bulk_create(
        [Campaign(name=f"Campagne {n}", utm_campaign=f"campagne-{n}") for n in range(50)]
    )
    all_posts = Post.objects.bulk_create(
        [
            Post(
                title=f"Publication {n}",
                url=f"https://www.example.com/p/{n}",
                status="published",
                published_at=now - timedelta(days=rng.uniform(0, 365)),
                campaign=rng.choice(campaigns) if rng.random() < 0.6 else None,
            )
            for n in range(posts)
        ],
        batch_size=BATCH,
    )
    log(f"{people} people, {posts} posts")
    triples: dict[tuple[int, int, str], float] = {}
    while len(triples) < shares:
        post, person = rng.choice(all_posts), rng.choice(folks)
        triples[(post.pk, person.pk, rng.choice(NETWORKS))] = rng.uniform(0, 365)
    campaign_of = {p.pk: p.campaign_id for p in all_posts}
    links = TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                code=_code(rng),
                post_id=post,
                ambassador_id=person,
                network=network,
                destination="https://www.example.com/",
                created_at=now - timedelta(days=age),
            )
            for (post, person, network), age in triples.items()
        ],
        batch_size=BATCH,
    )
    Share.objects.bulk_create(
        [
            Share(
                post_id=link.post_id,
                person_id=link.ambassador_id,
                network=link.network,
                tracked_link=link,
                created_at=link.created_at,
            )
            for link in links
        ],
        batch_size=BATCH,
    )
    activity_rebuild_all()  # what the share receivers do one by one, for shares made in bulk
    log(f"{len(links)} shares and links")
    written = _clicks(
        rng=rng, links=links, clicks=clicks, campaign_of=campaign_of, group_of=group_of, log=log
    )
    return {
        "people": people,
        "posts": posts,
        "shares": len(links),
        "clicks": clicks,
        "rows": written,
    }


def _clicks(*, rng, links, clicks, campaign_of, group_of, log) -> int:
    """One link in five gets clicks (most shares bring none); each a random part of the total,
    the last one the remainder. Written CLICK_BATCH clicks per transaction, in the order of the
    shares, so that memory stays flat; the seen-visitor sets of days already past are purged
    between batches, as the daily purge does in production (they would only grow otherwise)."""
    clicked = [link for n, link in enumerate(links) if n % 5 == 0]
    per_link = clicks / len(clicked)
    buckets = Buckets()
    written = counted = 0
    links = sorted(clicked, key=lambda link: link.created_at)
    visitors = [f"{n:032x}" for n in range(4000)]
    started = time.monotonic()
    batch: list[ClassifiedClick] = []
    for link in links:
        attribution = Attribution(
            link_id=link.pk,
            post_id=link.post_id,
            ambassador_id=link.ambassador_id,
            network=link.network,
            campaign_id=campaign_of[link.post_id],
            group_ids=(group_of[link.ambassador_id],),
        )
        first = link.created_at.timestamp() + 3600
        number = max(0, round(rng.expovariate(1 / per_link)))
        number = min(number, clicks - counted)
        if link is links[-1]:
            number = clicks - counted
        counted += number
        prefix, offset = f"s{link.pk:09d}", link.pk * 7
        batch += [
            ClassifiedClick(
                f"{prefix}{n:06d}",
                first + (86400 if n % 3 == 2 else 0) + (n % 60) * 59.0,
                KINDS[n % len(KINDS)],
                visitors[(offset + n) % len(visitors)],
                attribution,
            )
            for n in range(number)
        ]
        if len(batch) >= CLICK_BATCH or link is links[-1]:
            # As ingestion does: a batch of this size is mostly tuples the collector would walk.
            with transaction.atomic(), cyclic_gc_paused():
                written += rollups_add(clicks=batch, buckets=buckets)
                # Later links were shared at or after this one: their clicks come no earlier.
                visitor_keys_destroy_expired(today=local_day(link.created_at))
            batch = []
            elapsed = time.monotonic() - started
            log(f"{counted} clicks, {written} counter rows written, {elapsed:.0f} s")
    return written
