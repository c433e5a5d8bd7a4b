"""Personal tracked links: one stable short code per (post, ambassador, network)."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from portevoix.accounts.models import Person
from portevoix.content.models import Post
from portevoix.tracking.models import LinkCacheGeneration, TrackedLink

# No 0/O, 1/l/I: codes get read aloud and retyped.
CODE_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
UTM_MEDIUM = "employee_advocacy"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def destination_with_utm(*, url: str, network: str, utm_campaign: str | None) -> str:
    """The destination with our UTM tags, keeping every other parameter it already had."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_")
    ]
    query += [("utm_source", network), ("utm_medium", UTM_MEDIUM)]
    if utm_campaign:
        query.append(("utm_campaign", utm_campaign))
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path or "/", urlencode(query), parts.fragment)
    )


def tracked_link_for(*, post: Post, ambassador: Person, network: str) -> TrackedLink:
    """The ambassador's link for this post and network, created on first use and reused after."""
    existing = TrackedLink.objects.filter(post=post, ambassador=ambassador, network=network).first()
    if existing is not None:
        return existing
    destination = destination_with_utm(
        url=post.url,
        network=network,
        utm_campaign=post.campaign.utm_campaign if post.campaign is not None else None,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    code=new_code(),
                    post=post,
                    ambassador=ambassador,
                    network=network,
                    destination=destination,
                )
        except IntegrityError:
            # Either a code collision (retry with a new code) or a concurrent request created
            # the same triple (return it).
            existing = TrackedLink.objects.filter(
                post=post, ambassador=ambassador, network=network
            ).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not allocate a unique tracked link code")


def link_cache_generation_bump() -> None:
    """Tell every redirect process to forget its cached links (within LINK_CACHE_CHECK_MS)."""
    if not LinkCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                LinkCacheGeneration.objects.create(pk=1, value=1)
        except IntegrityError:
            LinkCacheGeneration.objects.filter(pk=1).update(value=F("value") + 1)


def tracked_link_set_disabled(*, link: TrackedLink, disabled: bool) -> None:
    """A disabled link answers 404 everywhere within a second; enabling it brings it back."""
    with transaction.atomic():
        TrackedLink.objects.filter(pk=link.pk).update(disabled=disabled)
        link_cache_generation_bump()
    link.disabled = disabled


def links_lock_for_deletion(links: QuerySet[TrackedLink]) -> None:
    """Lock these links before anything of theirs is deleted, until the transaction ends.

    The click table has no foreign-key constraint (models.py): this lock stands in for it.
    Ingestion locks a batch's links `FOR KEY SHARE`; a deletion locked first makes ingestion
    wait and leave the link out, and one that comes second waits for the batch's clicks and
    counters, then deletes them with the rest."""
    list(links.order_by("pk").select_for_update().values_list("pk", flat=True))
