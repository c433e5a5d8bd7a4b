"""What an ambassador sees: the posts that target them, newest and priority first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.content.models import Campaign, Post, PostStatus, Topic
from portevoix.sharing.models import Share

FEED_PAGE_SIZE = 20


def visible_posts(*, person: Person, now: datetime | None = None) -> QuerySet[Post]:
    """Posts that target this person now: scheduled or published, from `published_at`
    (included) to `expires_at` (excluded), for one of their groups (or everybody), in their
    language (or every language), and open to alumni when they are one.

    Dates decide, not only the status: a scheduled post appears at its minute even before the
    scheduler has marked it published, and an expired one leaves at its minute.
    """
    now = now or timezone.now()
    posts = Post.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        status__in=(PostStatus.SCHEDULED, PostStatus.PUBLISHED),
        published_at__lte=now,
    )
    targets = Post.target_groups.through.objects.filter(post_id=OuterRef("pk"))
    for_everybody = ~Exists(targets)
    group_ids = list(person.groups.values_list("id", flat=True))
    if group_ids:
        posts = posts.filter(for_everybody | Exists(targets.filter(group_id__in=group_ids)))
    else:
        posts = posts.filter(for_everybody)
    posts = posts.filter(Q(languages="") | Q(languages__contains=f",{person.language},"))
    if person.is_alumni:
        posts = posts.filter(open_to_alumni=True)
    return posts


def visible_post(*, person: Person, post_id: int) -> Post | None:
    return visible_posts(person=person).select_related("campaign").filter(pk=post_id).first()


@dataclass
class FeedPage:
    posts: list[Post]
    number: int
    has_next: bool
    topics: list[Topic]
    campaigns: list[Campaign]


def feed_for_person(
    *,
    person: Person,
    topic_id: int | None = None,
    campaign_id: int | None = None,
    page: int = 1,
    now: datetime | None = None,
) -> FeedPage:
    posts = visible_posts(person=person, now=now)
    if topic_id:
        posts = posts.filter(
            Exists(Post.topics.through.objects.filter(post_id=OuterRef("pk"), topic_id=topic_id))
        )
    if campaign_id:
        posts = posts.filter(campaign_id=campaign_id)
    posts = (
        posts.annotate(
            already_shared=Exists(Share.objects.filter(post_id=OuterRef("pk"), person=person))
        )
        .select_related("campaign")
        .prefetch_related("topics")
        .order_by("-priority", "-published_at", "-id")
    )
    page = max(1, page)
    start = (page - 1) * FEED_PAGE_SIZE
    # One row more than a page says whether there is a next page, without a COUNT.
    rows = list(posts[start : start + FEED_PAGE_SIZE + 1])
    today = timezone.localdate()
    return FeedPage(
        posts=rows[:FEED_PAGE_SIZE],
        number=page,
        has_next=len(rows) > FEED_PAGE_SIZE,
        topics=list(Topic.objects.all()),
        campaigns=list(Campaign.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))),
    )


def shares_of(*, person: Person) -> QuerySet[Share]:
    return Share.objects.filter(person=person).select_related("post", "tracked_link")
