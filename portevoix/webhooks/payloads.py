"""What each event carries: ids, titles and figures the receiver needs, never a person's name,
e-mail or words. A person appears only as {"id": …} under a "person" key, and only while they
take part: someone who has opted out or was erased by the time the payload leaves is sent as
null (the opt-out event itself names its person, which is what it is about)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from portevoix.accounts.models import Person
from portevoix.content.models import Post
from portevoix.gamification.models import Challenge, Mode
from portevoix.sharing.models import Share
from portevoix.tracking.models import Conversion
from portevoix.veille.models import Alert
from portevoix.webhooks.events import EventType
from portevoix.webhooks.models import WebhookEvent


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _post(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "title": post.title,
        "kind": post.kind,
        "url": post.url,
        "share_page": settings.SITE_URL + reverse("sharing:share", args=[post.pk]),
        "campaign": post.campaign_id,
        "published_at": _iso(post.published_at),
    }


def post_published_data(post: Post) -> dict[str, Any]:
    return {"post": _post(post)}


def share_created_data(share: Share) -> dict[str, Any]:
    return {
        "share": {"id": share.pk, "network": share.network, "created_at": _iso(share.created_at)},
        "post": {"id": share.post_id, "title": share.post.title},
        "person": {"id": share.person_id} if share.person_id else None,
    }


def verified_clicks_data(clicks: Iterable[tuple]) -> dict[str, Any]:
    """One ingestion batch: counts per post, never one entry per click or per visitor.
    `clicks` are tracking's (click id, link id, ambassador id, post id, Unix time)."""
    clicks = list(clicks)
    per_post = Counter(click[3] for click in clicks)
    times = [click[4] for click in clicks]
    return {
        "verified_clicks": len(clicks),
        "first_at": _iso(datetime.fromtimestamp(min(times), UTC)) if times else None,
        "last_at": _iso(datetime.fromtimestamp(max(times), UTC)) if times else None,
        "posts": [{"id": post, "verified_clicks": n} for post, n in sorted(per_post.items())],
    }


def conversion_data(conversion: Conversion) -> dict[str, Any]:
    link = conversion.link
    return {
        "conversion": {
            "id": conversion.pk,
            "goal": conversion.goal,
            "label": conversion.label,
            "counted": conversion.counted,
            "at": _iso(conversion.at),
        },
        "post": {"id": link.post_id, "campaign": link.post.campaign_id},
        "network": link.network,
        "person": {"id": link.ambassador_id},
    }


def person_participation_data(person: Person, *, joined: bool) -> dict[str, Any]:
    moment = person.opted_in_at if joined else person.opted_out_at
    return {"person": {"id": person.pk}, "at": _iso(moment)}


def challenge_closed_data(challenge: Challenge) -> dict[str, Any]:
    winners: list[dict[str, Any]] = []
    results = list(challenge.results.filter(winner=True).select_related("group"))
    # Someone hidden from leaderboards is not named as a winner outside either.
    hidden = set(
        Person.objects.filter(
            pk__in=[r.person_id for r in results if r.person_id], hide_from_rankings=True
        ).values_list("pk", flat=True)
    )
    for result in results:
        entry: dict[str, Any] = {"rank": result.rank, "value": result.value}
        if challenge.mode == Mode.TEAM and result.group is not None:
            entry["group"] = {"id": result.group_id, "name": result.group.name}
        else:
            named = result.person_id and result.person_id not in hidden
            entry["person"] = {"id": result.person_id} if named else None
        winners.append(entry)
    return {
        "challenge": {
            "id": challenge.pk,
            "title": challenge.title,
            "metric": challenge.metric,
            "mode": challenge.mode,
            "starts_at": _iso(challenge.starts_at),
            "ends_at": _iso(challenge.ends_at),
            "campaign": challenge.campaign_id,
        },
        "winners": winners,
    }


def alert_raised_data(alert: Alert) -> dict[str, Any]:
    return {
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "watch": {"id": alert.watch_id, "name": alert.watch.name} if alert.watch else None,
            "source": {"id": alert.source_id, "name": alert.source.name} if alert.source else None,
            "negative_count": alert.negative_count,
            "window_hours": alert.window_hours,
            "usual_count": alert.usual_count,
            "created_at": _iso(alert.created_at),
            "page": settings.SITE_URL + reverse("veille:alerts"),
        }
    }


def person_ids(data: Any) -> set[int]:
    """Every id under a "person" key, at any depth."""
    found: set[int] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "person" and isinstance(value, dict) and isinstance(value.get("id"), int):
                found.add(value["id"])
            else:
                found |= person_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= person_ids(value)
    return found


def people_hidden(data: Any, hidden: set[int]) -> Any:
    """`data` with every {"id": …} of a hidden person under a "person" key replaced by null."""
    if isinstance(data, dict):
        return {
            key: (
                None
                if key == "person" and isinstance(value, dict) and value.get("id") in hidden
                else people_hidden(value, hidden)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [people_hidden(value, hidden) for value in data]
    return data


def payload_visible(event: WebhookEvent) -> dict[str, Any]:
    """The event's data as it may leave now: people who opted out or were erased since are
    hidden. The opt-out event keeps its own person (while they exist)."""
    named = person_ids(event.data)
    if not named:
        return event.data
    visible = set(
        Person.objects.filter(pk__in=named, is_active=True, opted_in_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if event.type == EventType.PERSON_OPTED_OUT:
        visible |= set(Person.objects.filter(pk__in=named).values_list("pk", flat=True))
    return people_hidden(event.data, named - visible)


def payload_body(event: WebhookEvent) -> dict[str, Any]:
    """The Standard Webhooks envelope: type, timestamp (when it happened), data."""
    return {"type": event.type, "timestamp": _iso(event.created_at), "data": payload_visible(event)}
