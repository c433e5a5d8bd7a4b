"""Demo content for Lumière Énergies: topics, three campaigns, compliance rules and about
twenty-five posts of every kind and status, with message variants and their history.

Leaves `world.posts` and `world.campaigns` for the parts built after it (shares, clicks)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from portevoix.accounts.models import Person, Role
from portevoix.content.compliance import compliance_update
from portevoix.content.demo.posts import POSTS, DemoPost
from portevoix.content.models import (
    Campaign,
    Post,
    PostAction,
    PostEvent,
    PostStatus,
    SuggestedMessage,
    Suggestion,
    SuggestionStatus,
    Topic,
)
from portevoix.core.demo import DemoWorld

TOPICS = {
    "Énergie": (31, 78, 121),
    "Innovation": (94, 53, 177),
    "Recrutement": (30, 123, 58),
    "RSE": (46, 125, 50),
    "Vie de l'entreprise": (191, 96, 0),
    "Événements": (173, 20, 87),
    "Clients": (0, 105, 120),
}
SITE = "https://www.lumiere-demo.fr"


def _image(color: tuple[int, int, int], seed: int) -> ContentFile:
    """A simple 1.91:1 banner in the topic's colour: no font, no download."""
    image = Image.new("RGB", (764, 400), color)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 70) for c in color)
    for i in range(5):
        x = (seed * 97 + i * 151) % 700
        draw.ellipse((x, 40 + i * 60, x + 120 + i * 20, 160 + i * 60), fill=light)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="demo.png")


def _campaigns(now: datetime) -> dict[str, Campaign]:
    today = now.date()
    specs = [
        ("energie", "Semaine de l'énergie", "semaine-energie", -10, 20, "clicks", 1500),
        ("talents", "Talents 2026 : on recrute !", "talents-2026", -100, 60, "conversions", 40),
        ("salon", "Salon Énergies d'avenir", "salon-energies-avenir", -150, -120, "shares", 300),
    ]
    return {
        key: Campaign.objects.create(
            name=name,
            utm_campaign=utm,
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
            goal=goal,
            goal_target=target,
            description=f"Campagne de démonstration « {name} ».",
        )
        for key, name, utm, start, end, goal, target in specs
    }


def _post(
    spec: DemoPost, *, index: int, now: datetime, world: DemoWorld, campaigns, topics, editor
) -> Post:
    published_at = now + timedelta(days=spec.days) if spec.days is not None else None
    # Some posts were scheduled ahead, the others published by hand once reviewed.
    scheduled = spec.status == PostStatus.SCHEDULED or index % 3 == 0
    expires_at = (
        published_at + timedelta(days=spec.lasts)
        if published_at and spec.lasts is not None
        else None
    )
    post = Post(
        title=spec.title,
        kind=spec.kind,
        commentary=spec.commentary,
        url=f"{SITE}{spec.path}" if spec.path else "",
        preview_title=spec.title if spec.path else "",
        preview_description=spec.commentary.split("\n")[0] if spec.path else "",
        campaign=campaigns.get(spec.campaign),
        open_to_alumni=spec.alumni,
        priority=spec.priority,
        points=20 if spec.priority else 10,
        status=spec.status,
        author=editor,
        created_at=(published_at or now) - (timedelta(days=2) if scheduled else timedelta(hours=3)),
        published_at=published_at,
        expires_at=expires_at,
        event_starts_at=now + timedelta(days=spec.event_in) if spec.event_in else None,
        location=spec.location,
    )
    post.language_codes = list(spec.languages)
    if spec.kind != "announcement" or index % 2:
        post.image.save("demo.png", _image(TOPICS[spec.topics[0]], index), save=False)
    post.save()
    post.topics.set([topics[name] for name in spec.topics])
    post.target_groups.set([world.groups[name] for name in spec.groups])
    SuggestedMessage.objects.bulk_create(
        SuggestedMessage(post=post, network=network, language=language, text=text)
        for network, language, text in spec.messages
    )
    _history(post, editor=editor, world=world, scheduled=scheduled)
    return post


def _history(post: Post, *, editor, world: DemoWorld, scheduled: bool) -> None:
    """The events the workflow would have recorded for a post in this state."""
    created = post.created_at
    events: list[tuple[PostAction, Person | None, str, str, datetime]] = [
        (PostAction.CREATED, editor, "", PostStatus.DRAFT, created)
    ]
    if post.status != PostStatus.DRAFT:
        reviewer = next((p for p in world.people if p.role == Role.ADMIN), editor)
        events.append(
            (PostAction.SUBMITTED, editor, PostStatus.DRAFT, PostStatus.IN_REVIEW, created)
        )
        if post.status in (PostStatus.SCHEDULED, PostStatus.PUBLISHED, PostStatus.EXPIRED):
            at = created + timedelta(hours=2)
            if scheduled:
                events.append(
                    (PostAction.SCHEDULED, reviewer, PostStatus.IN_REVIEW, PostStatus.SCHEDULED, at)
                )
            if post.status != PostStatus.SCHEDULED:
                assert post.published_at is not None  # a published post of the demo has its date
                events.append(
                    (
                        PostAction.PUBLISHED,
                        None if scheduled else reviewer,
                        PostStatus.SCHEDULED if scheduled else PostStatus.IN_REVIEW,
                        PostStatus.PUBLISHED,
                        post.published_at,
                    )
                )
        if post.status == PostStatus.EXPIRED:
            assert post.expires_at is not None
            events.append(
                (
                    PostAction.EXPIRED,
                    None,
                    PostStatus.PUBLISHED,
                    PostStatus.EXPIRED,
                    post.expires_at,
                )
            )
        if post.status == PostStatus.ARCHIVED:
            events.append(
                (PostAction.ARCHIVED, editor, PostStatus.IN_REVIEW, PostStatus.ARCHIVED, created)
            )
    PostEvent.objects.bulk_create(
        PostEvent(post=post, action=a, actor=who, from_status=f, to_status=t, at=at)
        for a, who, f, t, at in events
    )


def _suggestions(world: DemoWorld, editor, now: datetime) -> None:
    ambassadors = [p for p in world.people if p.role == Role.AMBASSADOR and p.opted_in_at]
    rng = world.rng
    specs = [
        (
            SuggestionStatus.PENDING,
            f"{SITE}/blog/apprentis-lyon",
            "Un super article sur nos apprentis du site de Lyon, ça mérite d'être partagé !",
            "",
        ),
        (
            SuggestionStatus.PENDING,
            "",
            "Et si on parlait de la journée portes ouvertes de Nantes ?",
            "",
        ),
        (
            SuggestionStatus.DECLINED,
            "https://www.lemonde.fr/economie/",
            "Article sur le marché de l'énergie",
            "Merci ! Nous ne relayons pas d'articles de presse généraliste : ils changent trop "
            "souvent de titre. Proposez-nous plutôt nos propres publications.",
        ),
    ]
    for status, url, text, reason in specs:
        Suggestion.objects.create(
            author=rng.choice(ambassadors),
            url=url,
            text=text,
            status=status,
            created_at=now - timedelta(days=rng.randint(1, 20)),
            decided_by=editor if status != SuggestionStatus.PENDING else None,
            decided_at=now - timedelta(days=1) if status != SuggestionStatus.PENDING else None,
            decline_reason=reason,
        )


def build(world: DemoWorld) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    admin = next(p for p in world.people if p.role == Role.ADMIN)
    editor = next(p for p in world.people if p.role == Role.EDITOR)
    compliance_update(
        blocked_words=["confidentiel", "gratuit", "chiffre d'affaires prévisionnel", "garanti"],
        disclosure_tag="#collaborateur",
        by=admin,
    )
    topics = {name: Topic.objects.create(name=name) for name in TOPICS}
    campaigns = _campaigns(now)
    posts = [
        _post(
            spec,
            index=index,
            now=now,
            world=world,
            campaigns=campaigns,
            topics=topics,
            editor=editor,
        )
        for index, spec in enumerate(POSTS)
    ]
    _suggestions(world, editor, now)
    # Later parts (shares, clicks) build on these.
    world.posts = posts
    world.campaigns = list(campaigns.values())
