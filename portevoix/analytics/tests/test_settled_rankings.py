"""Rankings keep the sums of settled days between loads (click_figures/settled.py): the same
ranking as one sum over the period, read again without the settled rows, and computed again
as soon as a settled counter changes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_person
from portevoix.analytics.click_figures import key_counters, period_parts
from portevoix.analytics.click_figures.periods import Part
from portevoix.analytics.click_figures.settled import parts_split
from portevoix.analytics.tests.conftest import attribution_of
from portevoix.tracking.counters import Dimension, Frequency, Property
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import ClickKind
from portevoix.tracking.rollups import Attribution, ClassifiedClick, rollups_add
from portevoix.tracking.settled import settled_token, settled_until
from portevoix.tracking.visitors import day_start, local_day

VERIFIED_ONLY = (Property.VERIFIED,)
BOTH = (Property.VERIFIED, Property.RAW)
KINDS = (ClickKind.VERIFIED, ClickKind.VERIFIED, ClickKind.REPEAT, ClickKind.BOT)


def attribution(post: int, ambassador: int) -> Attribution:
    return Attribution(
        link_id=1000 * post + ambassador,
        post_id=post,
        ambassador_id=ambassador,
        network="linkedin",
        campaign_id=None,
        group_ids=(),
    )


def clicks_on(days_ago: list[int], seed: int) -> list[ClassifiedClick]:
    """Clicks on 40 posts by 12 people on these days before today, few per key so that many
    sums tie, some keys with raw clicks only."""
    chance = random.Random(seed)
    now = timezone.now().timestamp()
    found = []
    for n in range(1500):
        ago = chance.choice(days_ago)
        post = chance.randint(1, 40)
        kind = ClickKind.REPEAT if post > 36 else chance.choice(KINDS)
        found.append(
            ClassifiedClick(
                f"c{seed}-{n}".ljust(16, "x"),
                now - ago * 86400 - chance.randint(0, 3600),
                int(kind),
                f"v{n}",
                attribution(post, chance.randint(1, 12)),
            )
        )
    return sorted(found, key=lambda click: click.at)


def add(clicks: list[ClassifiedClick]) -> None:
    with transaction.atomic():
        rollups_add(clicks=clicks)


def one_sum(dimension: str, parts: list[Part], properties: tuple, limit: int) -> list:
    return [
        (str(key), total)
        for key, total in key_counters._verified_sums(dimension, parts, properties, limit)
    ]


def periods_to_try() -> list[list[Part]]:
    today = local_day(timezone.now())
    starts = [today - timedelta(days=days) for days in (364, 89, 29, 6, 1, 0)]
    found = [period_parts(start=start, end=today) for start in starts]
    # A period over before yesterday: settled whole.
    found.append(period_parts(start=today - timedelta(days=200), end=today - timedelta(days=3)))
    return found


def test_a_ranking_from_kept_sums_is_the_ranking_of_one_sum(db, settings):
    settings.ANALYTICS_CACHE_SECONDS = 300
    add(clicks_on([0, 1, 2, 3, 12, 40, 41, 95, 200, 330, 400], seed=1))
    for parts in periods_to_try():
        for dimension in (Dimension.POST, Dimension.AMBASSADOR):
            for properties in (VERIFIED_ONLY, BOTH):
                for limit in (1, 3, 10, 60):
                    wanted = one_sum(dimension, parts, properties, limit)
                    # Twice: computed and kept, then merged with the kept sums.
                    assert key_counters.ranked(dimension, parts, properties, limit) == wanted
                    assert key_counters.ranked(dimension, parts, properties, limit) == wanted


def test_the_settled_rows_are_read_once(db, settings):
    settings.ANALYTICS_CACHE_SECONDS = 300
    add(clicks_on([0, 5, 40, 200], seed=2))
    today = local_day(timezone.now())
    parts = period_parts(start=today - timedelta(days=364), end=today)
    first = key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 10)
    with CaptureQueriesContext(connection) as queries:
        assert key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 10) == first
    # The token, then the live days' rows alone: no month row is read again.
    assert len(queries) == 2
    assert Frequency.MONTH not in str(queries.captured_queries[1]["sql"])


def test_with_tables_not_kept_nothing_is_kept(db, settings):
    settings.ANALYTICS_CACHE_SECONDS = 0
    add(clicks_on([0, 5, 40, 200], seed=3))
    today = local_day(timezone.now())
    parts = period_parts(start=today - timedelta(days=364), end=today)
    key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 10)
    with CaptureQueriesContext(connection) as queries:
        key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 10)
    assert len(queries) == 1
    assert Frequency.MONTH in str(queries.captured_queries[0]["sql"])


def test_a_click_over_a_day_late_is_ranked_at_once(db, settings):
    settings.ANALYTICS_CACHE_SECONDS = 300
    add(clicks_on([0, 5, 40, 200], seed=4))
    today = local_day(timezone.now())
    parts = period_parts(start=today - timedelta(days=364), end=today)
    before = dict(key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 60))
    token = settled_token()

    # Today's clicks: live days, the kept sums still hold.
    now = timezone.now().timestamp()
    late = attribution(post=41, ambassador=1)
    add([ClassifiedClick("today".ljust(16, "x"), now, int(ClickKind.VERIFIED), "w1", late)])
    assert settled_token() == token
    assert dict(key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 60))["41"] == 1

    # Two clicks made 40 days ago, ingested only now: the token changes in the same
    # transaction and the next ranking counts them.
    old = now - 40 * 86400
    add(
        [
            ClassifiedClick(f"late{n}".ljust(16, "x"), old, int(ClickKind.VERIFIED), f"w{n}", late)
            for n in (2, 3)
        ]
    )
    assert settled_token() != token
    after = dict(key_counters.ranked(Dimension.POST, parts, VERIFIED_ONLY, 60))
    assert after["41"] == 3
    assert {key: n for key, n in after.items() if key != "41"} == before


def test_yesterday_is_not_settled_yet():
    noon = timezone.make_aware(timezone.datetime(2026, 3, 10, 12, 0))
    assert settled_until(noon) == day_start(date(2026, 3, 9))
    parts = period_parts(start=date(2026, 1, 20), end=date(2026, 3, 10))
    settled, live = parts_split(parts, settled_until(noon))
    # 20–31 January and February settled whole; the days of March cut at the 9th.
    assert [(p.frequency, p.since, p.until) for p in settled] == [
        (Frequency.DAY, day_start(date(2026, 1, 20)), day_start(date(2026, 2, 1))),
        (Frequency.MONTH, day_start(date(2026, 2, 1)), day_start(date(2026, 3, 1))),
        (Frequency.DAY, day_start(date(2026, 3, 1)), day_start(date(2026, 3, 9))),
    ]
    assert [(p.frequency, p.since, p.until) for p in live] == [
        (Frequency.DAY, day_start(date(2026, 3, 9)), day_start(date(2026, 3, 11)))
    ]
    # A month not over yet is live whole.
    month = period_parts(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert parts_split(month, settled_until(noon)) == ([], month)


@pytest.mark.django_db
def test_an_erasure_changes_the_token(alice, post):
    tracked_link_for(post=post, ambassador=alice, network="linkedin")
    token = settled_token()
    with transaction.atomic():
        alice.delete()
    assert settled_token() != token


@pytest.fixture
def post(db):
    from portevoix.content.models import Post

    editor = make_person("editor@example.com", "Ed", "editor")
    return Post.objects.create(
        title="A post", url="https://example.com/a", status="published", author=editor
    )


def test_matching_links_from_kept_sums_give_the_figures_of_one_sum(db, settings):
    """Filters that combine (a network and a group) sum the matching links' counters: the
    same figures with the settled days' sums kept as read whole, and a late click shows."""
    from portevoix.accounts.models import Group
    from portevoix.analytics.click_figures import ClickFigures
    from portevoix.analytics.filters import Filters
    from portevoix.content.models import Post

    group = Group.objects.create(name="Ventes")
    people = [make_person(f"p{n}@example.com", f"P{n}", "ambassador") for n in range(4)]
    group.members.add(*people[:3])
    posts = [
        Post.objects.create(title=f"Post {n}", url=f"https://example.com/{n}", status="published")
        for n in range(3)
    ]
    links = [
        tracked_link_for(post=post, ambassador=person, network=network)
        for post in posts
        for person in people
        for network in ("linkedin", "x")
    ]
    chance = random.Random(5)
    now = timezone.now().timestamp()
    clicks = []
    for n in range(800):
        link = chance.choice(links)
        clicks.append(
            ClassifiedClick(
                f"m{n}".ljust(16, "x"),
                now - chance.choice([0, 1, 3, 40, 120]) * 86400 - chance.randint(0, 3600),
                int(chance.choice(KINDS)),
                f"v{n}",
                attribution_of(link, (group.pk,) if link.ambassador in people[:3] else ()),
            )
        )
    add(sorted(clicks, key=lambda click: click.at))
    today = local_day(timezone.now())
    filters = Filters(start=today - timedelta(days=364), end=today, network="x", group_id=group.pk)

    def figures(keep: int) -> tuple:
        settings.ANALYTICS_CACHE_SECONDS = keep
        found = ClickFigures(filters)
        return (
            found.totals,
            {by: dict(found.breakdown(by)) for by in ("post", "ambassador", "campaign")},
            found.top("post", 2),
        )

    whole = figures(0)
    assert whole[0]["verified"] > 0
    assert figures(300) == whole  # computed and kept
    assert figures(300) == whole  # from the kept sums
    late = links[1]  # x, first person: in the group
    assert late.network == "x"
    add(
        [
            ClassifiedClick(
                "late-link".ljust(16, "x"),
                now - 50 * 86400,
                int(ClickKind.VERIFIED),
                "w",
                attribution_of(late, (group.pk,)),
            )
        ]
    )
    after = figures(300)
    assert after == figures(0)
    assert after[0]["verified"] == whole[0]["verified"] + 1


def test_the_least_recently_used_sums_go_first(db, monkeypatch):
    from portevoix.analytics.click_figures import settled

    monkeypatch.setattr(settled, "KEPT_KEYS_MAX", 10)
    today = local_day(timezone.now())
    parts = period_parts(start=today - timedelta(days=60), end=today - timedelta(days=2))
    computed = []

    def sums(name: str) -> settled.SettledSums:
        def compute() -> settled.SettledSums:
            computed.append(name)
            return settled.settled_sums({n: n for n in range(4)})

        return settled.settled_kept(name, parts, compute)

    sums("a"), sums("b"), sums("a")  # 8 keys: both kept, "a" used last
    assert computed == ["a", "b"]
    sums("c")  # 12 keys: "b", the least recently used, goes
    sums("a"), sums("b")
    assert computed == ["a", "b", "c", "b"]
