"""Watches: which items mention what, and how many mentions per day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from portevoix.veille.matching import Matcher, matcher_for
from portevoix.veille.models import Item, Mention, Tone, Watch

REMATCH_BATCH = 2000


def _matcher(watch: Watch) -> Matcher:
    return matcher_for(terms=watch.terms, exclude_terms=watch.exclude_terms)


def mentions_create_for_items(*, items: Iterable[Item]) -> int:
    """Tag new items with every watch they match."""
    items = list(items)
    if not items:
        return 0
    mentions = []
    for watch in Watch.objects.all():
        matcher = _matcher(watch)
        mentions += [
            Mention(watch=watch, item=item, dated_at=item.dated_at, tone=item.tone)
            for item in items
            if matcher.matches(item.folded_text)
        ]
    Mention.objects.bulk_create(mentions, ignore_conflicts=True)
    return len(mentions)


def watch_rematch(*, watch: Watch) -> int:
    """Rebuild a watch's mentions over every stored item (after it is created or edited)."""
    matcher = _matcher(watch)
    with transaction.atomic():
        Mention.objects.filter(watch=watch).delete()
        mentions = []
        for item in Item.objects.only("id", "folded_text", "dated_at", "tone").iterator(
            chunk_size=REMATCH_BATCH
        ):
            if matcher.matches(item.folded_text):
                mentions.append(
                    Mention(watch=watch, item=item, dated_at=item.dated_at, tone=item.tone)
                )
        Mention.objects.bulk_create(mentions, batch_size=REMATCH_BATCH)
    return len(mentions)


def watches_with_counts(*, now: datetime | None = None, items: QuerySet[Item] | None = None):
    """Every watch with its mentions over 30 days and its negative mentions in its window;
    given `items` (those a viewer may see, selectors.items_visible), only their mentions."""
    now = now or timezone.now()
    recent = Q(mentions__dated_at__gt=now - timedelta(days=30))
    if items is not None:
        recent &= Q(mentions__item__in=items.values("pk"))
    return Watch.objects.annotate(
        mentions_30d=Count("mentions", filter=recent),
        negative_30d=Count("mentions", filter=recent & Q(mentions__tone=Tone.NEGATIVE)),
    )


def mentions_per_day(
    *,
    watches: Iterable[Watch],
    days: int = 30,
    now: datetime | None = None,
    tone: str = "",
    items: QuerySet[Item] | None = None,
) -> tuple[list[date], dict[int, list[int]]]:
    """Days (oldest first) and, per watch id, its mentions on each day (in the site's zone);
    given `items` (those a viewer may see, selectors.items_visible), only their mentions."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_list = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    start = timezone.make_aware(datetime.combine(day_list[0], datetime.min.time()))
    watches = list(watches)
    series = {watch.pk: [0] * days for watch in watches}
    rows = Mention.objects.filter(watch__in=watches, dated_at__gte=start, dated_at__lte=now)
    if tone:
        rows = rows.filter(tone=tone)
    if items is not None:
        rows = rows.filter(item__in=items.values("pk"))
    counts = (
        rows.annotate(day=TruncDate("dated_at", tzinfo=timezone.get_current_timezone()))
        .values("watch_id", "day")
        .annotate(count=Count("id"))
    )
    index = {day: position for position, day in enumerate(day_list)}
    for row in counts:
        if row["day"] in index:
            series[row["watch_id"]][index[row["day"]]] = row["count"]
    return day_list, series
