"""A person's tracking data: exported on request, erased with them.

Their tracked links, the clicks and conversions on those links and the counters kept per
ambassador or per link are about them; deleting the person deletes those (links, clicks and
conversions by cascade, counters here). Counters per post, campaign, network, group and for
the whole programme are not about one person: they stay.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from portevoix.accounts.models import Person
from portevoix.tracking.counters import Dimension, Frequency, Property, crossed_prefix
from portevoix.tracking.links import links_lock_for_deletion
from portevoix.tracking.models import ClickCount, Conversion, ConversionKey, TrackedLink
from portevoix.tracking.settled import settled_changed


def export_person(person: Person) -> dict:
    links = list(TrackedLink.objects.filter(ambassador=person).select_related("post"))
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for key, prop, value in (
        ClickCount.objects.filter(
            dimension=Dimension.LINK,
            key__in=[str(link.pk) for link in links],
            frequency=Frequency.DAY,
        )
        .exclude(property=Property.CONVERSIONS)
        .values("key", "property")
        .annotate(value=Sum("value"))
        .values_list("key", "property", "value")
    ):
        totals[key][prop] = value
    conversions = dict(
        Conversion.objects.filter(link__in=links, counted=True)
        .values("link")
        .annotate(n=Count("id"))
        .values_list("link", "n")
    )
    return {
        "tracked_links": [
            {
                "code": link.code,
                "short_url": link.short_url,
                "post": link.post.title,
                "network": link.network,
                "destination": link.destination,
                "created_at": link.created_at.isoformat(),
                "disabled": link.disabled,
                "clicks": totals.get(str(link.pk), {}),
                "conversions": conversions.get(link.pk, 0),
            }
            for link in links
        ],
        # Keys the person created for the company site (names and dates; the secret is never
        # kept, only its hash, which means nothing to anyone).
        "conversion_keys_created": [
            {"name": key.name, "created_at": key.created_at.isoformat()}
            for key in ConversionKey.objects.filter(created_by=person).order_by("created_at", "id")
        ],
    }


def erase_person(person: Person) -> None:
    """Lock all the person's links at once, in the order ingestion locks a batch's links,
    before their deletion locks them one by one in whatever order it found them
    (receivers.py): an ingestion batch holding some of them and the erasure then never each
    wait for a link the other holds."""
    links_lock_for_deletion(TrackedLink.objects.filter(ambassador=person))


def rollups_erase_person(*, person: Person) -> None:
    """Counters about this ambassador and their links. Called before the person is deleted."""
    # Locked first (also when the person is deleted other than by `person_erase`): an
    # ingestion batch adding to these counters commits before they go.
    erase_person(person)
    settled_changed()  # their past counters go too: kept sums over settled days no longer hold
    link_keys = [
        str(pk) for pk in TrackedLink.objects.filter(ambassador=person).values_list("pk", flat=True)
    ]
    ClickCount.objects.filter(dimension=Dimension.AMBASSADOR, key=str(person.pk)).delete()
    # Their counters within each network and group ("ambassador@linkedin", "ambassador@group:3").
    ClickCount.objects.filter(
        dimension__startswith=crossed_prefix(Dimension.AMBASSADOR), key=str(person.pk)
    ).delete()
    ClickCount.objects.filter(dimension=Dimension.LINK, key__in=link_keys).delete()
