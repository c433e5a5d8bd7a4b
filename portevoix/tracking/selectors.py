"""Reads for the tracking pages."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet, Sum

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import scope_of
from portevoix.tracking.counters import Dimension, Frequency
from portevoix.tracking.models import ClickCount, TrackedLink


def links_visible(viewer: Person) -> QuerySet[TrackedLink]:
    """The links of the people in the viewer's entity scope (every link for the whole
    organisation): a link belongs to the ambassador who shares it."""
    return TrackedLink.objects.filter(scope_of(viewer).person_filter("ambassador"))


def links_for_pilots(*, viewer: Person, query: str = "") -> QuerySet[TrackedLink]:
    links = (
        links_visible(viewer).select_related("post", "ambassador").order_by("-created_at", "-id")
    )
    query = query.strip()
    if query:
        links = links.filter(
            Q(code=query)
            | Q(post__title__icontains=query)
            | Q(ambassador__full_name__icontains=query)
            | Q(ambassador__email__iexact=query)
        )
    return links


def link_totals(*, links: list[TrackedLink]) -> dict[int, dict[str, int]]:
    """All-time counts per link and property, from the daily counters."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        ClickCount.objects.filter(
            dimension=Dimension.LINK,
            key__in=[str(link.pk) for link in links],
            frequency=Frequency.DAY,
        )
        .values("key", "property")
        .annotate(total=Sum("value"))
        .values_list("key", "property", "total")
    )
    for key, prop, total in rows:
        totals[int(key)][prop] = total
    return totals
