"""Awarding points: only from verified activity, always through the ledger."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from portevoix.accounts.models import Person
from portevoix.gamification.models import (
    DEFAULT_CLICK_CAP,
    DEFAULT_POINTS,
    Action,
    PointEntry,
    PointRule,
)


def rule_in_force(*, action: str, at: datetime) -> PointRule | None:
    return (
        PointRule.objects.filter(action=action, valid_from__lte=at)
        .order_by("-valid_from", "-id")
        .first()
    )


def points_award(
    *, person: Person, action: str, source: str, at: datetime, slot: str | None = None
) -> PointEntry | None:
    """Record the points for one fact, once. Returns None when the fact was already scored, the
    slot is taken, the rule gives nothing, or the person no longer takes part (opted out or
    deactivated: nothing new is tracked)."""
    if not person.is_ambassador:
        return None
    rule = rule_in_force(action=action, at=at)
    points = rule.points if rule else DEFAULT_POINTS[Action(action)]
    if points == 0:
        return None
    try:
        with transaction.atomic():
            return PointEntry.objects.create(
                person=person,
                action=action,
                points=points,
                source=source,
                slot=slot or source,
                rule=rule,
                occurred_at=at,
            )
    except IntegrityError:
        return None


def click_points_award(
    *, person: Person, link_id: int, click_id: int, at: datetime
) -> PointEntry | None:
    """Points for a verified click, capped per link and per day (organisation's time zone):
    the day of a link has numbered slots up to the cap, each taken once."""
    rule = rule_in_force(action=Action.VERIFIED_CLICK, at=at)
    cap = (
        DEFAULT_CLICK_CAP
        if rule is None or rule.daily_cap_per_link is None
        else rule.daily_cap_per_link
    )
    source = f"click:{click_id}"
    day = timezone.localdate(at).isoformat()
    for number in range(cap):
        entry = points_award(
            person=person,
            action=Action.VERIFIED_CLICK,
            source=source,
            slot=f"link:{link_id}:{day}:{number}",
            at=at,
        )
        if entry is not None:
            return entry
        # Taken slot, or this click already scored (then every slot would fail: stop now).
        if PointEntry.objects.filter(
            person=person, action=Action.VERIFIED_CLICK, source=source
        ).exists():
            return None
        if not person.is_ambassador:
            return None
    return None


def points_total(person: Person, *, since: datetime | None = None) -> int:
    entries = PointEntry.objects.filter(person=person)
    if since is not None:
        entries = entries.filter(occurred_at__gte=since)
    return entries.aggregate(total=Sum("points"))["total"] or 0
