"""Each measured trick of the dashboard's figures, on and off, on the benchmark's data set.

Run after `make bench ONLY=analytics` has built its data sets (they are kept):

    PORTEVOIX_DATA_DIR=var/bench-analytics/sqlite .venv/bin/python scripts/figures_tricks.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/portevoix_bench_analytics \
      PORTEVOIX_DATA_DIR=var/bench-analytics/postgresql .venv/bin/python scripts/figures_tricks.py

Prints, per trick, the median milliseconds of the way the code reads (`on`) and of the plain
way it replaced (`off`), in process (no page, no template): what docs/analytics.md lists in
"What the figures' code keeps, and what it pays". Figures only: never fails.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("ROUNDS", "7"))


def ms(run: Callable[[], object]) -> float:
    """Median milliseconds of ROUNDS runs after one warm-up."""
    run()
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def show(trick: str, on: Callable[[], object], off: Callable[[], object]) -> None:
    print(f"{trick}: on {ms(on)} ms, off {ms(off)} ms", flush=True)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    os.environ["ANALYTICS_CACHE_SECONDS"] = "0"
    import django

    django.setup()

    from django.db.models import Count
    from django.utils import timezone

    from portevoix.accounts.models import Group
    from portevoix.analytics.click_figures import ClickFigures, key_counters, links
    from portevoix.analytics.click_figures.periods import in_part, in_parts
    from portevoix.analytics.filters import Filters
    from portevoix.analytics.models import ShareActivity
    from portevoix.analytics.share_figures import ShareFigures, activity_reads
    from portevoix.content.models import Campaign
    from portevoix.tracking.counters import PLAIN_PROPERTIES, Dimension, Property, crossed
    from portevoix.tracking.models import ClickCount
    from portevoix.tracking.visitors import local_day

    def matching_links(filters: Filters, parts: list, limit: int) -> None:
        """What a page of filters that combine reads from its links, LINK_KEYS_MAX = limit."""
        found = links.MatchingLinks(filters, parts, keys_max=limit)
        found.counts  # noqa: B018
        found.rows(parts, key_counters.RANKED_PROPERTIES, with_start=True)

    today = local_day(timezone.now())
    year = {"start": today - timedelta(days=364), "end": today}
    programme = Filters(**year)
    parts = ClickFigures(programme).parts
    campaign = Campaign.objects.annotate(n=Count("posts__tracked_links")).order_by("-n").first()
    groups = list(Group.objects.order_by("pk").values_list("pk", flat=True))

    # Matching links by key, or the period's rows of every link (`off`), as their number grows.
    for label, filters in [
        ("a campaign and a group", Filters(**year, campaign_id=campaign.pk, group_id=groups[0])),
        ("a campaign and a network", Filters(**year, campaign_id=campaign.pk, network="linkedin")),
        ("a network and a group", Filters(**year, network="linkedin", group_id=groups[0])),
        ("a group alone", Filters(**year, group_id=groups[0])),
    ]:
        count = len(links.MatchingLinks(filters, parts).owners)
        show(
            f"links by key, {label}, a year ({count} links)",
            lambda f=filters: matching_links(f, parts, 10**9),
            lambda f=filters: matching_links(f, parts, 0),
        )

    # The parts of a period in one UNION ALL statement, or one query per part.
    mine = ClickCount.objects.filter(dimension=Dimension.ALL, key="")
    plain = mine.filter(property__in=PLAIN_PROPERTIES, subgroup="")
    conversions = mine.filter(property=Property.CONVERSIONS)
    fields = ("property", "subgroup", "start", "value")
    show(
        "a year's parts in one statement",
        lambda: key_counters.key_rows((Dimension.ALL, ""), parts),
        lambda: [
            list(in_part(rows, part).values_list(*fields))
            for rows in (plain, conversions)
            for part in parts
        ],
    )
    # Plain properties asked with `subgroup=""`: every column of the unique index used.
    without = mine.filter(property__in=PLAIN_PROPERTIES)
    show(
        "plain properties with subgroup=''",
        lambda: key_counters.key_rows((Dimension.ALL, ""), parts),
        lambda: list(in_parts([without, conversions], parts, *fields)),
    )

    # Top ten posts of a year: ranked by the database, or every post's breakdown sorted here.
    show(
        "top posts ranked by the database",
        lambda: ClickFigures(programme).top(Dimension.POST, 10),
        lambda: sorted(
            ClickFigures(programme).breakdown(Dimension.POST).items(),
            key=lambda item: (-item[1].get(Property.VERIFIED, 0), item[0]),
        )[:10],
    )
    show(
        "ranked on verified clicks alone",
        lambda: key_counters.ranked(Dimension.POST, parts, (Property.VERIFIED,), 10),
        lambda: key_counters.ranked(Dimension.POST, parts, (Property.VERIFIED, Property.RAW), 10),
    )

    # A network's, a group's posts over a year: their crossed counters, or their links summed.
    for scope, key, filters in [
        (Dimension.NETWORK, "linkedin", Filters(**year, network="linkedin")),
        (Dimension.GROUP, str(groups[0]), Filters(**year, group_id=groups[0])),
    ]:
        show(
            f"posts within one {scope} from crossed counters",
            lambda s=scope, k=key: key_counters.dimension_breakdown(
                crossed(Dimension.POST, s, k), parts
            ),
            lambda f=filters: ClickFigures(f).links.breakdown(Dimension.POST),
        )

    # People figures from the share activity, or from the period's shares.
    def shares_route(run: Callable[[ShareFigures], object]) -> Callable[[], object]:
        """`run` on the share figures of the whole programme read from the shares."""

        def read() -> object:
            figures = ShareFigures(programme)
            figures.from_activity = False
            return run(figures)

        return read

    show(
        "people who shared in a year, from the activity",
        lambda: ShareFigures(programme).people_days,
        shares_route(lambda figures: figures.people_days),
    )
    show(
        "potential reach of a year, from the activity",
        lambda: ShareFigures(programme).potential_reach(),
        shares_route(lambda figures: figures.potential_reach()),
    )
    since = year["start"].replace(day=1)
    show(
        "the whole programme's activity read raw",
        lambda: activity_reads.whole_programme_rows(since=since, end=year["end"]),
        lambda: [
            (person, start, int.from_bytes(days, "little"))
            for person, start, days in ShareActivity.objects.filter(
                network="",
                first_day__lte=year["end"].toordinal(),
                last_day__gte=since.toordinal(),
            ).values_list("person_id", "first_day", "days")
        ],
    )


if __name__ == "__main__":
    main()
