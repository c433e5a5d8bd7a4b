"""Counters within a network ("post@linkedin"): written by rollups_add() and
conversion_rollups_add() from real links, and carried over from the link counters by the
migration that introduced them — both ways must give the same rows."""

import random
from collections import Counter
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection, transaction

from portevoix.accounts.models import Group
from portevoix.content.models import Post
from portevoix.tracking.ingest import attributions_for
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import ClickCount, ClickKind
from portevoix.tracking.rollups import ClassifiedClick, conversion_rollups_add, rollups_add

from .conftest import at


def crossed_rows() -> Counter:
    found: Counter = Counter()
    for row in ClickCount.objects.filter(dimension__contains="@"):
        found[(row.dimension, row.key, row.property, row.subgroup, row.frequency, row.start)] += (
            row.value
        )
    return found


def verified_of(dimension: str, key: object) -> int:
    rows = ClickCount.objects.filter(
        dimension=dimension, key=str(key), property="verified", frequency="day"
    )
    return sum(rows.values_list("value", flat=True))


def test_the_migration_carries_link_counters_over_to_the_same_crossed_rows(db, alice, bob, post):
    team, sales = Group.objects.create(name="Équipe"), Group.objects.create(name="Ventes")
    alice.groups.add(team, sales)
    bob.groups.add(sales)
    loose = Post.objects.create(
        title="Hors campagne", url="https://example.com/l", status="published"
    )
    links = [
        tracked_link_for(post=post, ambassador=alice, network="linkedin"),
        tracked_link_for(post=post, ambassador=alice, network="x"),
        tracked_link_for(post=loose, ambassador=bob, network="linkedin"),
        tracked_link_for(post=loose, ambassador=alice, network="mastodon"),
    ]
    attributions = attributions_for({link.code for link in links})
    rng = random.Random(5)
    kinds = [ClickKind.VERIFIED, ClickKind.REPEAT, ClickKind.BOT, ClickKind.SELF]
    # Around the end of October, so that days fall in two organisation months.
    clicks = [
        ClassifiedClick(
            f"c{n:015d}",
            at("2026-10-30T08:00") + n * 1700,
            rng.choice(kinds),
            f"v{rng.randrange(6)}",
            attributions[rng.choice(links).code],
        )
        for n in range(300)
    ]
    with transaction.atomic():
        rollups_add(clicks=clicks)
    for n, goal in enumerate(["signup", "signup", "application"]):
        conversion_rollups_add(
            attribution=attributions[links[n].code], goal=goal, at=at("2026-11-02T10:00")
        )
    written = crossed_rows()
    within_groups = {
        f"{by}@group:{group.pk}"
        for group in (team, sales)
        for by in ("post", "ambassador", "campaign")
    }
    assert {key[0] for key in written} == {
        "post@linkedin",
        "post@x",
        "post@mastodon",
        "ambassador@linkedin",
        "ambassador@x",
        "ambassador@mastodon",
        "campaign@linkedin",
        "campaign@x",
        "group@linkedin",
        "group@x",
        "group@mastodon",
    } | within_groups
    # A crossed counter is the sum of the counters of the links it covers: Alice's LinkedIn
    # link alone for her, Alice's and Bob's LinkedIn links for the group both are in.
    assert verified_of("ambassador@linkedin", alice.pk) == verified_of("link", links[0].pk) > 0
    assert verified_of("group@linkedin", sales.pk) == (
        verified_of("link", links[0].pk) + verified_of("link", links[2].pk)
    )
    assert verified_of("group@linkedin", team.pk) == verified_of("link", links[0].pk)
    assert verified_of("link", links[2].pk) > 0
    # Within a group: Bob's LinkedIn link in Sales only, Alice's links in both groups.
    assert verified_of(f"ambassador@group:{team.pk}", alice.pk) == (
        verified_of("link", links[0].pk)
        + verified_of("link", links[1].pk)
        + verified_of("link", links[3].pk)
    )
    assert verified_of(f"ambassador@group:{sales.pk}", bob.pk) == verified_of("link", links[2].pk)
    assert verified_of(f"post@group:{sales.pk}", post.pk) == (
        verified_of("link", links[0].pk) + verified_of("link", links[1].pk)
    )

    ClickCount.objects.filter(dimension__contains="@").delete()
    migration = import_module("portevoix.tracking.migrations.0005_network_crossed_counters")
    migration.crossed_from_links(apps, SimpleNamespace(connection=connection))
    assert crossed_rows() == written
    migration.crossed_remove(apps, None)
    assert not crossed_rows()
