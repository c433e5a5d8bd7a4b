"""`make bench ONLY=sharing`: how fast the ambassador's feed page answers with 5,000 posts and
10,000 people (and 50,000 shares), measured through Django's test client on the whole stack
(middleware, session, queries, template).

Each database runs in a child process with its own settings: a temporary SQLite file, then
PostgreSQL when TEST_POSTGRES_URL is reachable (a scratch database, dropped afterwards).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from portevoix.core.bench.databases import postgres_drop, postgres_scratch

POSTS = 5_000
PEOPLE = 10_000
SHARES = 50_000
GROUPS = 24
TOPICS = 12
CAMPAIGNS = 20
AMBASSADORS_MEASURED = 20
REQUESTS_EACH = 25


def run() -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="portevoix-feed-bench-") as data_dir:
        figures.update(_child({"PORTEVOIX_DATA_DIR": data_dir, "DATABASE_URL": ""}, "feed"))
    scratch = postgres_scratch("portevoix_feed_bench")
    if scratch:
        try:
            with tempfile.TemporaryDirectory(prefix="portevoix-feed-bench-") as data_dir:
                figures.update(
                    _child(
                        {"PORTEVOIX_DATA_DIR": data_dir, "DATABASE_URL": scratch},
                        "feed.postgresql",
                    )
                )
        finally:
            postgres_drop(scratch)
    else:
        print("# PostgreSQL not reachable (TEST_POSTGRES_URL): skipped", flush=True)
    return figures


def _child(env: dict[str, str], prefix: str) -> dict[str, float]:
    environment = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "portevoix.settings"}
    environment.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "portevoix.sharing.bench.feed"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {f"{prefix}.{name}": value for name, value in figures.items()}


def _measure() -> dict[str, float]:
    """In the child process: build the data, then time the feed page."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    people = _build()
    build_seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        # What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) do on a live database.
        cursor.execute("ANALYZE")

    client = Client()
    timings: list[float] = []
    for person in people:
        client.force_login(person)
        client.get("/")  # warm: session, template cache
        for i in range(REQUESTS_EACH):
            query = {"page": 2} if i % 5 == 3 else {"topic": 1 + i % TOPICS} if i % 5 == 4 else {}
            begin = time.perf_counter()
            response = client.get("/", query)
            timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "requests": len(timings),
        "queries_per_page": len(queries),
        "build_s": round(build_seconds, 1),
    }


def _build() -> list:
    """5,000 posts with varied targeting, 10,000 people in groups, 50,000 shares; returns the
    ambassadors to measure (both languages, with and without groups, some alumni)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from portevoix.accounts.models import Group, Person, Role
    from portevoix.content.models import Campaign, Post, PostStatus, Topic
    from portevoix.sharing.models import Share

    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        groups = Group.objects.bulk_create(Group(name=f"Groupe {i}") for i in range(GROUPS))
        topics = Topic.objects.bulk_create(Topic(name=f"Sujet {i}") for i in range(TOPICS))
        campaigns = Campaign.objects.bulk_create(
            Campaign(name=f"Campagne {i}", utm_campaign=f"campagne-{i}") for i in range(CAMPAIGNS)
        )
        people = Person.objects.bulk_create(
            Person(
                email=f"person{i}@bench.example",
                full_name=f"Person {i}",
                password="!",
                role=Role.ALUMNI if i % 20 == 0 else Role.AMBASSADOR,
                language="en" if i % 7 == 0 else "fr",
                activated_at=now,
                opted_in_at=now,
            )
            for i in range(PEOPLE)
        )
        membership = Person.groups.through
        membership.objects.bulk_create(
            membership(person_id=p.pk, group_id=g.pk)
            for p in people
            for g in rng.sample(groups, k=rng.randint(0, 3))
        )
        statuses = [PostStatus.PUBLISHED] * 17 + [
            PostStatus.SCHEDULED,
            PostStatus.EXPIRED,
            PostStatus.DRAFT,
        ]
        posts = []
        for i in range(POSTS):
            published = now - timedelta(minutes=rng.randint(-5_000, 525_000))
            post = Post(
                title=f"Post {i}",
                url=f"https://www.lumiere.example/p/{i}",
                kind=rng.choice(["link", "link", "job", "event", "media", "announcement"]),
                status=rng.choice(statuses),
                published_at=published,
                expires_at=published + timedelta(days=rng.randint(1, 120))
                if rng.random() < 0.2
                else None,
                open_to_alumni=rng.random() < 0.3,
                priority=rng.choice([0] * 8 + [1, 2]),
                campaign=rng.choice(campaigns) if rng.random() < 0.3 else None,
                preview_description="Une description de quelques lignes. " * 4,
            )
            post.language_codes = rng.choice([[]] * 8 + [["fr"], ["en"]])
            posts.append(post)
        posts = Post.objects.bulk_create(posts)
        targets = Post.target_groups.through
        targets.objects.bulk_create(
            targets(post_id=p.pk, group_id=g.pk)
            for p in posts
            if rng.random() < 0.4
            for g in rng.sample(groups, k=rng.randint(1, 3))
        )
        tagging = Post.topics.through
        tagging.objects.bulk_create(
            tagging(post_id=p.pk, topic_id=t.pk)
            for p in posts
            for t in rng.sample(topics, k=rng.randint(1, 2))
        )
        Share.objects.bulk_create(
            Share(
                post=rng.choice(posts),
                person=rng.choice(people),
                network=rng.choice(["linkedin", "x", "bluesky", "facebook"]),
                text="Un texte partagé #collaborateur",
            )
            for _ in range(SHARES)
        )
    return rng.sample(people, k=AMBASSADORS_MEASURED)


if __name__ == "__main__":
    print(json.dumps(_measure()))
