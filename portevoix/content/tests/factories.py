"""Small builders for tests of the content hub and sharing (not fixtures: plain functions)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from portevoix.content.models import Post, PostKind, PostStatus, SuggestedMessage


def make_post(
    title: str = "Nos éoliennes en mer",
    *,
    url: str = "https://www.lumiere.example/eoliennes",
    kind: str = PostKind.LINK,
    status: str = PostStatus.PUBLISHED,
    published_at=None,
    groups=(),
    languages=(),
    messages=(),
    topics=(),
    **fields,
) -> Post:
    """A post in the feed by default: published an hour ago, for everybody."""
    if published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    post = Post(title=title, url=url, kind=kind, status=status, published_at=published_at, **fields)
    post.language_codes = list(languages)
    post.save()
    post.target_groups.set(groups)
    post.topics.set(topics)
    for network, language, text in messages:
        SuggestedMessage.objects.create(post=post, network=network, language=language, text=text)
    return post


def image_bytes(width: int = 400, height: int = 300, image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(buffer, format=image_format)
    return buffer.getvalue()


def post_form_data(**overrides) -> dict:
    """What the post form posts: a link with two message variants (every network in French,
    X in English) and an empty third row."""
    data = {
        "title": "Nos éoliennes en mer",
        "kind": "link",
        "url": "https://www.lumiere.example/eolien",
        "commentary": "",
        "preview_title": "",
        "preview_description": "",
        "preview_image_url": "",
        "priority": "0",
        "points": "10",
        "published_at": "",
        "expires_at": "",
        "event_starts_at": "",
        "location": "",
        "messages-TOTAL_FORMS": "3",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "30",
        "messages-0-network": "",
        "messages-0-language": "fr",
        "messages-0-text": "Un beau projet !",
        "messages-1-network": "x",
        "messages-1-language": "en",
        "messages-1-text": "A great project!",
        "messages-2-network": "",
        "messages-2-language": "fr",
        "messages-2-text": "",
    }
    data.update(overrides)
    return data
