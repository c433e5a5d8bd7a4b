"""Badges: awarded once, when their rule first holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Person
from portevoix.gamification.models import Action, BadgeAward, PointEntry
from portevoix.tracking.counters import Dimension, Frequency, Property
from portevoix.tracking.models import ClickCount

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def verified_clicks_received(person: Person) -> int:
    """Every verified click on the person's links (not only those that earned points)."""
    total = ClickCount.objects.filter(
        dimension=Dimension.AMBASSADOR,
        key=str(person.pk),
        property=Property.VERIFIED,
        frequency=Frequency.DAY,
    ).aggregate(total=Sum("value"))["total"]
    return total or 0


def _count(person: Person, action: str) -> int:
    return PointEntry.objects.filter(person=person, action=action).count()


@dataclass(frozen=True)
class Badge:
    code: str
    name: StrOrPromise
    description: StrOrPromise
    earned: Callable[[Person], bool]


BADGES = [
    Badge(
        "first_share",
        _("First share"),
        _("Your first confirmed share."),
        lambda p: _count(p, Action.SHARE) >= 1,
    ),
    Badge(
        "ten_shares",
        _("10 shares"),
        _("Ten confirmed shares."),
        lambda p: _count(p, Action.SHARE) >= 10,
    ),
    Badge(
        "trained",
        _("Trained"),
        _("Completed a lesson of the academy."),
        lambda p: _count(p, Action.LESSON_COMPLETED) >= 1,
    ),
    Badge(
        "first_conversion",
        _("First conversion"),
        _("A visitor from your share applied, signed up or became a lead."),
        lambda p: _count(p, Action.CONVERSION) >= 1,
    ),
    Badge(
        "hundred_clicks",
        _("100 verified clicks"),
        _("People came a hundred times through your links."),
        lambda p: verified_clicks_received(p) >= 100,
    ),
    Badge(
        "suggester",
        _("Good find"),
        _("A suggestion of yours became a post."),
        lambda p: _count(p, Action.SUGGESTION_ACCEPTED) >= 1,
    ),
]
BADGES_BY_CODE = {badge.code: badge for badge in BADGES}


def badges_check(*, person: Person) -> list[str]:
    """Award every badge whose rule now holds; returns the codes newly awarded."""
    owned = set(BadgeAward.objects.filter(person=person).values_list("badge", flat=True))
    awarded = []
    for badge in BADGES:
        if badge.code in owned or not badge.earned(person):
            continue
        try:
            with transaction.atomic():
                BadgeAward.objects.create(person=person, badge=badge.code)
        except IntegrityError:
            continue  # another worker awarded it at the same moment
        awarded.append(badge.code)
    return awarded
