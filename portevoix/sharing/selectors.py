"""What an ambassador sees: the posts that target them, priority first, then the topics they
follow, then newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from portevoix.accounts.models import Person, Role
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
    for_you: bool = True
    follows_topics: bool = False


def followed_topic_ids(*, person: Person) -> list[int]:
    return list(person.topics.values_list("id", flat=True))


def rank_for_person(posts: QuerySet[Post], *, topic_ids: list[int]) -> QuerySet[Post]:
    """The order of the feed and the digest: priority first; within the same priority, posts
    on a topic the person follows before the rest; then newest first. With no followed topic
    (or "everything" asked) it is priority then newest, the order of `post_feed_order`."""
    if not topic_ids:
        return posts.order_by("-priority", "-published_at", "-id")
    followed = Exists(
        Post.topics.through.objects.filter(post_id=OuterRef("pk"), topic_id__in=topic_ids)
    )
    return posts.alias(followed=followed).order_by(
        "-priority", F("followed").desc(), "-published_at", "-id"
    )


def feed_for_person(
    *,
    person: Person,
    topic_id: int | None = None,
    campaign_id: int | None = None,
    page: int = 1,
    for_you: bool = True,
    now: datetime | None = None,
) -> FeedPage:
    posts = visible_posts(person=person, now=now)
    if topic_id:
        posts = posts.filter(
            Exists(Post.topics.through.objects.filter(post_id=OuterRef("pk"), topic_id=topic_id))
        )
    if campaign_id:
        posts = posts.filter(campaign_id=campaign_id)
    page = max(1, page)
    start = (page - 1) * FEED_PAGE_SIZE
    # First the ids alone (a narrow sort, no join), one more than a page to know whether there
    # is a next page without a COUNT; then the full rows of that page only.
    followed = followed_topic_ids(person=person)
    ids = list(
        rank_for_person(posts, topic_ids=followed if for_you else []).values_list("id", flat=True)[
            start : start + FEED_PAGE_SIZE + 1
        ]
    )
    rows = {
        post.pk: post
        for post in Post.objects.filter(pk__in=ids[:FEED_PAGE_SIZE])
        .annotate(
            already_shared=Exists(Share.objects.filter(post_id=OuterRef("pk"), person=person))
        )
        .select_related("campaign")
        .prefetch_related("topics")
    }
    return FeedPage(
        posts=[rows[pk] for pk in ids[:FEED_PAGE_SIZE]],
        number=page,
        has_next=len(ids) > FEED_PAGE_SIZE,
        for_you=for_you,
        follows_topics=bool(followed),
    )


def feed_filter_choices() -> tuple[list[Topic], list[Campaign]]:
    """The topics, and the campaigns not over yet, an ambassador may filter the feed by."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return list(Topic.objects.all()), list(campaigns)


def shares_of(*, person: Person) -> QuerySet[Share]:
    return Share.objects.filter(person=person).select_related("post", "tracked_link")


def post_audience(*, post: Post) -> QuerySet[Person]:
    """The ambassadors a post targets: the other side of `visible_posts` (groups, language,
    alumni rule), among people who take part."""
    people = Person.objects.filter(is_active=True, opted_in_at__isnull=False)
    group_ids = list(post.target_groups.values_list("id", flat=True))
    if group_ids:
        people = people.filter(
            Exists(
                Person.groups.through.objects.filter(
                    person_id=OuterRef("pk"), group_id__in=group_ids
                )
            )
        )
    if post.language_codes:
        people = people.filter(language__in=post.language_codes)
    if not post.open_to_alumni:
        people = people.exclude(role=Role.ALUMNI)
    return people
