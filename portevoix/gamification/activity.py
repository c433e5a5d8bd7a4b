"""Points for what tracking verified: clicks received, the shares they confirm, conversions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from portevoix.accounts.models import Person
from portevoix.gamification.badges import badges_check
from portevoix.gamification.models import Action
from portevoix.gamification.points import (
    RuleBook,
    conversion_points_award,
    link_day_clicks_award,
    points_award,
)
from portevoix.sharing.models import Share
from portevoix.tracking.models import Conversion

VerifiedClick = tuple[str, int, int, int, float]  # click id, link, ambassador, post, Unix time


def verified_clicks_score(*, clicks: Iterable[VerifiedClick]) -> int:
    """Score a batch of verified clicks: the click itself (capped per link and day), and the
    share it confirms — a share earns its points at its link's first verified click, once per
    link, so sharing the same post on the same network again earns nothing more."""
    by_link: dict[tuple[int, int], list[tuple[str, datetime]]] = {}
    for click_id, link_id, ambassador_id, _post_id, unix_time in clicks:
        by_link.setdefault((ambassador_id, link_id), []).append(
            (click_id, datetime.fromtimestamp(unix_time, UTC))
        )
    people = Person.objects.in_bulk({ambassador_id for ambassador_id, _link in by_link})
    shared_links = set(
        Share.objects.filter(tracked_link_id__in={link for _person, link in by_link}).values_list(
            "tracked_link_id", flat=True
        )
    )
    rules = RuleBook()
    scored, touched = 0, set()
    for (ambassador_id, link_id), link_clicks in by_link.items():
        person = people.get(ambassador_id)
        if person is None:
            continue
        if link_id in shared_links:
            first_at = min(at for _click_id, at in link_clicks)
            share = points_award(
                person=person,
                action=Action.SHARE,
                source=f"link:{link_id}",
                at=first_at,
                rules=rules,
            )
            scored += share is not None
        scored += len(
            link_day_clicks_award(person=person, link_id=link_id, clicks=link_clicks, rules=rules)
        )
        touched.add(person)
    for person in touched:
        badges_check(person=person)
    return scored


def conversion_score(*, conversion: Conversion) -> bool:
    if not conversion.counted:
        return False
    person = conversion.link.ambassador
    entry = conversion_points_award(
        person=person, conversion_id=conversion.pk, click_id=conversion.click_id, at=conversion.at
    )
    badges_check(person=person)
    return entry is not None
