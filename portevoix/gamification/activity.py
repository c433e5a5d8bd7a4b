"""Points for what tracking verified: clicks received, the shares they confirm, conversions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from portevoix.accounts.models import Person
from portevoix.gamification.badges import badges_check
from portevoix.gamification.models import Action
from portevoix.gamification.points import click_points_award, points_award
from portevoix.sharing.models import Share
from portevoix.tracking.models import Conversion

VerifiedClick = tuple[str, int, int, int, float]  # click id, link, ambassador, post, Unix time


def verified_clicks_score(*, clicks: Iterable[VerifiedClick]) -> int:
    """Score a batch of verified clicks: the click itself (capped per link and day), and the
    share it confirms — a share earns its points at its link's first verified click, once per
    link, so sharing the same post on the same network again earns nothing more."""
    clicks = list(clicks)
    people = {p.pk: p for p in Person.objects.filter(pk__in={c[2] for c in clicks})}
    shared_links = set(
        Share.objects.filter(tracked_link_id__in={c[1] for c in clicks}).values_list(
            "tracked_link_id", flat=True
        )
    )
    scored, touched = 0, set()
    for click_id, link_id, ambassador_id, _post_id, unix_time in clicks:
        person = people.get(ambassador_id)
        if person is None:
            continue
        at = datetime.fromtimestamp(unix_time, UTC)
        if link_id in shared_links:
            scored += (
                points_award(person=person, action=Action.SHARE, source=f"link:{link_id}", at=at)
                is not None
            )
        scored += (
            click_points_award(person=person, link_id=link_id, click_id=click_id, at=at) is not None
        )
        touched.add(person)
    for person in touched:
        badges_check(person=person)
    return scored


def conversion_score(*, conversion: Conversion) -> bool:
    if not conversion.counted:
        return False
    person = conversion.link.ambassador
    entry = points_award(
        person=person,
        action=Action.CONVERSION,
        source=f"conversion:{conversion.pk}",
        at=conversion.at,
    )
    badges_check(person=person)
    return entry is not None
