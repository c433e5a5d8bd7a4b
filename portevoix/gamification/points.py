"""Awarding points: only from verified activity, always through the ledger."""

from __future__ import annotations

from collections.abc import Sequence
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


class RuleBook:
    """Every point rule, read once: scoring a batch of thousands of clicks asks the rule in
    force for each one."""

    def __init__(self) -> None:
        self._by_action: dict[str, list[PointRule]] = {}
        for rule in PointRule.objects.order_by("valid_from", "id"):
            self._by_action.setdefault(rule.action, []).append(rule)

    def in_force(self, *, action: str, at: datetime) -> PointRule | None:
        """As `rule_in_force`: the latest valid_from not after `at`, the latest of a tie."""
        found = None
        for rule in self._by_action.get(action, ()):
            if rule.valid_from > at:
                break
            found = rule
        return found


def points_award(
    *,
    person: Person,
    action: str,
    source: str,
    at: datetime,
    slot: str | None = None,
    rules: RuleBook | None = None,
) -> PointEntry | None:
    """Record the points for one fact, once. Returns None when the fact was already scored, the
    slot is taken, the rule gives nothing, or the person no longer takes part (opted out or
    deactivated: nothing new is tracked)."""
    if not person.is_ambassador:
        return None
    rule = rules.in_force(action=action, at=at) if rules else rule_in_force(action=action, at=at)
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


def conversion_points_award(
    *, person: Person, conversion_id: int, click_id: str, at: datetime
) -> PointEntry | None:
    """Points for a counted conversion, once per click: a visit that applies and signs up is
    one success of the share, and the slot named after the click can be taken only once
    (whatever goals and labels the company site reports)."""
    return points_award(
        person=person,
        action=Action.CONVERSION,
        source=f"conversion:{conversion_id}",
        slot=f"conversion-click:{click_id}",
        at=at,
    )


def click_points_award(
    *, person: Person, link_id: int, click_id: int | str, at: datetime
) -> PointEntry | None:
    """Points for one verified click (see `link_day_clicks_award`)."""
    awarded = link_day_clicks_award(person=person, link_id=link_id, clicks=[(click_id, at)])
    return awarded[0] if awarded else None


def link_day_clicks_award(
    *,
    person: Person,
    link_id: int,
    clicks: Sequence[tuple[int | str, datetime]],
    rules: RuleBook | None = None,
) -> list[PointEntry]:
    """Points for verified clicks on one link, capped per link and per day (organisation's
    time zone): each day of a link has numbered slots up to the cap, each taken once.

    The slots taken and the clicks already scored are read once per (link, day); a click past
    the cap then costs nothing. The unique constraints still decide: if another worker takes a
    slot first, the insert fails, the day is read again and the click tries the next slot.
    """
    if not person.is_ambassador:
        return []
    rules = rules or RuleBook()
    by_day: dict[str, list[tuple[str, datetime]]] = {}
    for click_id, at in sorted(clicks, key=lambda click: click[1]):
        by_day.setdefault(timezone.localdate(at).isoformat(), []).append((f"click:{click_id}", at))
    awarded: list[PointEntry] = []
    for day, day_clicks in by_day.items():
        prefix = f"link:{link_id}:{day}:"
        taken, scored = _link_day_state(person, prefix, [source for source, _at in day_clicks])
        for source, at in day_clicks:
            while source not in scored:
                rule = rules.in_force(action=Action.VERIFIED_CLICK, at=at)
                cap = (
                    DEFAULT_CLICK_CAP
                    if rule is None or rule.daily_cap_per_link is None
                    else (rule.daily_cap_per_link)
                )
                number = next((n for n in range(cap) if n not in taken), None)
                if number is None:
                    break  # the day's cap is reached
                entry = points_award(
                    person=person,
                    action=Action.VERIFIED_CLICK,
                    source=source,
                    slot=f"{prefix}{number}",
                    at=at,
                    rules=rules,
                )
                if entry is not None:
                    awarded.append(entry)
                    taken.add(number)
                    scored.add(source)
                    break
                taken, scored = _link_day_state(person, prefix, [s for s, _at in day_clicks])
                if number not in taken and source not in scored:
                    break  # not beaten by another worker: the rule in force gives nothing
    return awarded


def _link_day_state(person: Person, prefix: str, sources: list[str]) -> tuple[set[int], set[str]]:
    """Slot numbers taken on a link's day, and which of these clicks are already scored."""
    taken = {
        int(slot[len(prefix) :])
        for slot in PointEntry.objects.filter(
            person=person, action=Action.VERIFIED_CLICK, slot__startswith=prefix
        ).values_list("slot", flat=True)
    }
    scored: set[str] = set()
    for start in range(0, len(sources), 1000):  # SQLite caps the parameters of a query
        scored.update(
            PointEntry.objects.filter(
                person=person,
                action=Action.VERIFIED_CLICK,
                source__in=sources[start : start + 1000],
            ).values_list("source", flat=True)
        )
    return taken, scored


def points_total(person: Person, *, since: datetime | None = None) -> int:
    entries = PointEntry.objects.filter(person=person)
    if since is not None:
        entries = entries.filter(occurred_at__gte=since)
    return entries.aggregate(total=Sum("points"))["total"] or 0
