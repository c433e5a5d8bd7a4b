"""A small hand-built programme whose every figure the tests work out by hand.

Europe/Paris (the test settings' TIME_ZONE). Two groups, two ambassadors (alice in Ventes,
frank in Tech), a campaign with one post and a post outside campaigns.

Clicks on alice's LinkedIn link to the campaign post, 10 December 2025 (local time):
  verified v1, verified v2, repeat v1, bot, self-click, verified v3 at 23:30 local (22:30 UTC)
  and, 11 December at 00:30 local (23:30 UTC on the 10th), verified v4.
One job-application conversion on the 10th. Frank: two verified clicks on 6 January 2026.

Shares: alice, campaign post, LinkedIn on 10 and 11 December and X on 12 December; frank,
other post, LinkedIn on 5 January 2026; alice, other post, LinkedIn on 20 January 2026.
Followers declared: alice LinkedIn 500 and X 200, frank LinkedIn 300.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.db import transaction

from conftest import make_person
from portevoix.accounts.models import Group, NetworkAccount, Person
from portevoix.analytics.filters import Filters
from portevoix.content.models import Campaign, Post
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import ClickKind, TrackedLink
from portevoix.tracking.rollups import (
    Attribution,
    ClassifiedClick,
    conversion_rollups_add,
    rollups_add,
)
from portevoix.tracking.visitors import organisation_zone


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=organisation_zone())


def attribution_of(link: TrackedLink, groups: tuple[int, ...]) -> Attribution:
    return Attribution(
        link_id=link.pk,
        post_id=link.post_id,
        ambassador_id=link.ambassador_id,
        network=link.network,
        campaign_id=link.post.campaign_id,
        group_ids=groups,
    )


def clicks_counted(clicks: Sequence[tuple[str, int, str, Attribution]]) -> None:
    """(local time, kind, visitor, attribution) clicks added to the counters as an ingestion
    batch adds them, in one transaction."""
    with transaction.atomic():
        rollups_add(
            clicks=[
                ClassifiedClick(uuid.uuid4().hex[:16], local(at).timestamp(), kind, visitor, found)
                for at, kind, visitor, found in clicks
            ]
        )


def period(start: str, end: str, **more) -> Filters:
    return Filters(start=date.fromisoformat(start), end=date.fromisoformat(end), **more)


@dataclass
class World:
    alice: Person
    frank: Person
    ventes: Group
    tech: Group
    campaign: Campaign
    job_post: Post
    other_post: Post
    alice_link: TrackedLink
    frank_link: TrackedLink


@pytest.fixture
def world(alice) -> World:
    frank = make_person("frank@example.com", "Frank Leroy", "ambassador")
    ventes = Group.objects.create(name="Ventes")
    tech = Group.objects.create(name="Tech")
    alice.groups.add(ventes)
    frank.groups.add(tech)
    NetworkAccount.objects.create(person=alice, network="linkedin", followers=500)
    NetworkAccount.objects.create(person=alice, network="x", followers=200)
    NetworkAccount.objects.create(person=frank, network="linkedin", followers=300)
    campaign = Campaign.objects.create(name="Recrutement 2026", utm_campaign="recrutement-2026")
    job_post = Post.objects.create(
        title="Nous recrutons des techniciens",
        url="https://carrieres.example.com/offres/7",
        campaign=campaign,
    )
    other_post = Post.objects.create(
        title="Notre nouvel atelier", url="https://www.example.com/atelier"
    )
    for person, post, network, at in [
        (alice, job_post, "linkedin", "2025-12-10T10:00"),
        (alice, job_post, "linkedin", "2025-12-11T10:00"),
        (alice, job_post, "x", "2025-12-12T10:00"),
        (frank, other_post, "linkedin", "2026-01-05T10:00"),
        (alice, other_post, "linkedin", "2026-01-20T10:00"),
    ]:
        Share.objects.create(post=post, person=person, network=network, created_at=local(at))
    alice_link = tracked_link_for(post=job_post, ambassador=alice, network="linkedin")
    frank_link = tracked_link_for(post=other_post, ambassador=frank, network="linkedin")
    mine = attribution_of(alice_link, (ventes.pk,))
    franks = attribution_of(frank_link, (tech.pk,))
    clicks = [
        ("2025-12-10T09:00", ClickKind.VERIFIED, "v1", mine),
        ("2025-12-10T09:05", ClickKind.VERIFIED, "v2", mine),
        ("2025-12-10T09:10", ClickKind.REPEAT, "v1", mine),
        ("2025-12-10T09:15", ClickKind.BOT, "bot", mine),
        ("2025-12-10T09:20", ClickKind.SELF, "alice", mine),
        ("2025-12-10T23:30", ClickKind.VERIFIED, "v3", mine),
        ("2025-12-11T00:30", ClickKind.VERIFIED, "v4", mine),
        ("2026-01-06T12:00", ClickKind.VERIFIED, "w1", franks),
        ("2026-01-06T12:30", ClickKind.VERIFIED, "w2", franks),
    ]
    with transaction.atomic():
        clicks_counted(clicks)
        conversion_rollups_add(
            attribution=mine, goal="job_application", at=local("2025-12-10T15:00").timestamp()
        )
    return World(alice, frank, ventes, tech, campaign, job_post, other_post, alice_link, frank_link)
