"""`make bench ONLY=analytics`: dashboard answer times on a large synthetic organisation.

For SQLite (data directory `var/bench-analytics/sqlite/`) and, when TEST_POSTGRES_URL's server
answers, for PostgreSQL (its own database `portevoix_bench_analytics`): migrate, then build the
organisation with `manage.py analytics_synthetic` unless the data set already there has exactly
the wanted size (people, posts, shares, and clicks summed from the counters): building 10 M
clicks takes minutes, so data sets are kept between runs and the output says whether it was
built or reused (BENCH_ANALYTICS_REBUILD=1 forces a build).

Then each page of the dashboard (overview, rankings, health) with each set of filters, and
"my statistics", is loaded through Django's test client, logged in as an editor (an
ambassador for "my statistics"), BENCH_ANALYTICS_LOADS times after two warm-up loads, first
with the tables' cache off (ANALYTICS_CACHE_SECONDS=0: every load computes everything), then
with it on, then with it on but each load the first after an ingestion batch (the kept tables
forgotten before it, as every batch does; what the dashboard keeps across batches still kept:
the pages' share figures and matching links, dashboard.py `PageKept`, and the rankings' sums
of settled days, analytics/click_figures/settled.py). `dashboard.p95_ms.<backend>`
is the slowest page's 95th percentile without the cache; `dashboard.cached_p95_ms.<backend>`
the same with it; `dashboard.after_batch_p95_ms.<backend>` the same after a batch; each page's
median is printed beside its p95 (`p50_ms`). `dashboard.overview_compare_p95_ms.<backend>` is the slowest
overview with its comparison to the previous period, and `dashboard.comparison_only_p95_ms`
what the comparison alone takes. Figures only: never fails.

Sizes from the environment: BENCH_ANALYTICS_PEOPLE (10,000), _POSTS (5,000), _SHARES
(100,000), _CLICKS (10,000,000).

10× the data (a large enterprise's year): BENCH_ANALYTICS_SCALE=100m makes the defaults 100,000
people, 50,000 posts, 1,000,000 shares and 100,000,000 clicks, on PostgreSQL only, in a
database of its own (`portevoix_bench_analytics_100m`, kept between runs like the other), and
every figure's name ends with the number of clicks: `dashboard.p95_ms.postgresql.100m`, or
`.30m` when BENCH_ANALYTICS_CLICKS asked for fewer (what was built is what is named).
`dashboard.build_s.postgresql.<size>` says how long the build took.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from portevoix.core.bench.databases import postgres_database

ROOT = Path(__file__).resolve().parents[3]
SCALE = os.environ.get("BENCH_ANALYTICS_SCALE", "")
if SCALE not in ("", "10m", "100m"):
    raise SystemExit(f"BENCH_ANALYTICS_SCALE={SCALE!r}: 10m (the default) or 100m")
TENFOLD = SCALE == "100m"
SIZES = {
    "people": int(os.environ.get("BENCH_ANALYTICS_PEOPLE", "100000" if TENFOLD else "10000")),
    "posts": int(os.environ.get("BENCH_ANALYTICS_POSTS", "50000" if TENFOLD else "5000")),
    "shares": int(os.environ.get("BENCH_ANALYTICS_SHARES", "1000000" if TENFOLD else "100000")),
    "clicks": int(os.environ.get("BENCH_ANALYTICS_CLICKS", "100000000" if TENFOLD else "10000000")),
}
# The figures of the tenfold data set are named by its number of clicks ("100m").
SUFFIX = f".{SIZES['clicks'] / 1e6:g}m" if TENFOLD else ""
# 60 loads: the 95th percentile of 20 is in effect their slowest, one load slowed by another
# process; of 60 it is the third slowest.
LOADS = int(os.environ.get("BENCH_ANALYTICS_LOADS", "60"))
PG_NAME = "portevoix_bench_analytics_100m" if TENFOLD else "portevoix_bench_analytics"
# Set in the subprocess that measures each load as the first after an ingestion batch.
AFTER_BATCH = "BENCH_ANALYTICS_AFTER_BATCH"
SQLITE_DIR = ROOT / "var" / "bench-analytics" / "sqlite"
EDITOR = "bench-editor@example.com"


def _run(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _postgres_vacuum(url: str) -> None:
    """What autovacuum does on its own some minutes after a bulk load: planner statistics, and
    the visibility map that lets PostgreSQL read a covering index without the table."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _env(database_url: str | None, data_dir: Path) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PORTEVOIX_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _backend(name: str, database_url: str | None) -> dict[str, float | str]:
    env, figures = _data_set(name, database_url)
    figures.update(_pages_measured(env, name))
    return {f"{key}{SUFFIX}": value for key, value in figures.items()}


def _data_set(name: str, database_url: str | None) -> tuple[dict, dict[str, float | str]]:
    """The data set of this size, reused or built; the environment to reach it."""
    data_dir = SQLITE_DIR if database_url is None else ROOT / "var" / "bench-analytics" / name
    data_dir = data_dir.with_name(data_dir.name + SUFFIX)
    env = _env(database_url, data_dir)
    try:
        _run(env, "manage.py", "migrate", "--no-input", "-v0")
        found = json.loads(_run(env, "-m", "portevoix.analytics.bench.dashboards", "size"))
    except subprocess.CalledProcessError:  # a data set from migrations since renamed: rebuild
        found = {"sizes": None}
    figures: dict[str, float | str] = {}
    if found["sizes"] == SIZES and not os.environ.get("BENCH_ANALYTICS_REBUILD"):
        print(f"# {name}: reusing the data set already built ({found['sizes']})", flush=True)
        figures[f"dashboard.data_set.{name}"] = "reused"
    else:
        print(f"# {name}: building the data set ({SIZES}), this takes minutes", flush=True)
        if database_url is None:
            (data_dir / "portevoix.sqlite3").unlink(missing_ok=True)
            for extra in ("-wal", "-shm"):
                (data_dir / f"portevoix.sqlite3{extra}").unlink(missing_ok=True)
        else:
            postgres_database(PG_NAME, fresh=True)
        _run(env, "manage.py", "migrate", "--no-input", "-v0")
        started = time.monotonic()
        _run(env, "manage.py", "analytics_synthetic", *[f"--{k}={v}" for k, v in SIZES.items()])
        figures[f"dashboard.build_s.{name}"] = round(time.monotonic() - started, 1)
        if database_url:
            _postgres_vacuum(database_url)
        figures[f"dashboard.data_set.{name}"] = "built"
        found = json.loads(_run(env, "-m", "portevoix.analytics.bench.dashboards", "size"))
    figures[f"dashboard.counter_rows.{name}"] = found["counter_rows"]
    figures[f"dashboard.activity_rows.{name}"] = found["activity_rows"]
    return env, figures


def _pages_measured(env: dict, name: str) -> dict[str, float | str]:
    figures: dict[str, float | str] = {}
    for cache, label, after_batch in (
        ("0", "p95_ms", ""),
        ("300", "cached_p95_ms", ""),
        ("300", "after_batch_p95_ms", "1"),
    ):
        pages = json.loads(
            _run(
                {**env, "ANALYTICS_CACHE_SECONDS": cache, AFTER_BATCH: after_batch},
                "-m",
                __name__,
                "measure",
            )
        )
        for page, (median, p95) in pages.items():
            figures[f"dashboard.{page}.{label.replace('p95', 'p50')}.{name}"] = median
            figures[f"dashboard.{page}.{label}.{name}"] = p95
        # The slowest of every page measured: a page left out of the maximum would make the
        # figure say more than was measured.
        figures[f"dashboard.{label}.{name}"] = max(p95 for _median, p95 in pages.values())
    figures.update(_overview_comparison(env, name))
    return figures


def _overview_comparison(env: dict, name: str) -> dict[str, float]:
    """`dashboard.overview_compare_p95_ms.<backend>`: the slowest overview (the six sets of
    filters, cache off) now that it compares its key figures and series with the previous
    period, to print beside the overview's figures before the comparison (docs/metrics.md);
    and `dashboard.comparison_only_p95_ms.<backend>`, what the comparison alone takes."""
    found = json.loads(_run({**env, "ANALYTICS_CACHE_SECONDS": "0"}, "-m", __name__, "compare"))
    return {
        f"dashboard.overview_compare_p95_ms.{name}": found["overview"],
        f"dashboard.comparison_only_p95_ms.{name}": found["comparison"],
    }


def run() -> dict[str, float | str]:
    figures: dict[str, float | str] = {f"dashboard.data.{k}": v for k, v in SIZES.items()}
    figures["dashboard.loads_per_page"] = LOADS
    figures["dashboard.load_average_at_start"] = round(os.getloadavg()[0], 2)
    if not TENFOLD:  # the tenfold data set is a PostgreSQL deployment's
        figures.update(_backend("sqlite", None))
    postgres = postgres_database(PG_NAME, fresh=False)
    if postgres:
        figures.update(_backend("postgresql", postgres))
    else:
        print("# PostgreSQL not reachable (TEST_POSTGRES_URL): skipped", flush=True)
    # The machine may be shared: the 1-minute load average says how loaded it was.
    figures["dashboard.load_average_at_end"] = round(os.getloadavg()[0], 2)
    return figures


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    # The application the web server loads (Django set up, start-up objects frozen).
    import portevoix.wsgi  # noqa: F401


def _size() -> dict:
    """In the subprocess: what the data set holds (the bench editor is not counted)."""
    _setup()
    from django.db.models import Sum

    from portevoix.accounts.models import Person
    from portevoix.analytics.models import ShareActivity
    from portevoix.content.models import Post
    from portevoix.sharing.models import Share
    from portevoix.tracking.counters import Dimension, Frequency, Property
    from portevoix.tracking.models import ClickCount

    clicks = ClickCount.objects.filter(
        dimension=Dimension.ALL, property=Property.RAW, frequency=Frequency.DAY
    )
    return {
        "sizes": {
            "people": Person.objects.exclude(email=EDITOR).count(),
            "posts": Post.objects.count(),
            "shares": Share.objects.count(),
            "clicks": clicks.aggregate(n=Sum("value"))["n"] or 0,
        },
        "counter_rows": ClickCount.objects.count(),
        "activity_rows": ShareActivity.objects.count(),
    }


def _pages() -> dict[str, tuple]:
    from datetime import timedelta

    from django.db.models import Sum
    from django.urls import reverse
    from django.utils import timezone

    from portevoix.accounts.models import Group, Person
    from portevoix.analytics.views.dashboard import SECTION_URLS
    from portevoix.content.models import Campaign
    from portevoix.tracking.counters import Dimension, Frequency, Property
    from portevoix.tracking.models import ClickCount

    editor = Person.objects.filter(email=EDITOR).first()
    editor = editor or Person.objects.create_user(email=EDITOR, full_name="Bench", role="editor")
    # "My statistics" of the ambassador with the most verified clicks: the heaviest one.
    busiest = (
        ClickCount.objects.filter(
            dimension=Dimension.AMBASSADOR, property=Property.VERIFIED, frequency=Frequency.MONTH
        )
        .values("key")
        .annotate(total=Sum("value"))
        .order_by("-total")
        .values_list("key", flat=True)
        .first()
    )
    assert busiest is not None, "the data set has verified clicks"
    ambassador = Person.objects.get(pk=int(busiest))
    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    first_group = Group.objects.earliest("pk").pk
    programme = {
        "last30days": {},
        "year_by_month": {"start": year_ago, "by": "month"},
        "campaign_and_group": {
            "campaign": Campaign.objects.earliest("pk").pk,
            "group": first_group,
        },
        # One network, or one group, over a year: breakdowns from the counters within that
        # network or group ("post@linkedin", "post@group:1"; docs/metrics.md).
        "network_year_by_week": {"network": "linkedin", "start": year_ago, "by": "week"},
        "group_year_by_month": {"group": first_group, "start": year_ago, "by": "month"},
        # Both at once: totals and series from the group's counters within the network
        # ("group@x"), breakdowns from the matching links' counters.
        "network_and_group_year": {
            "network": "x",
            "group": first_group,
            "start": year_ago,
            "by": "week",
        },
    }
    # Each set of filters on each page of the dashboard (overview, rankings, health).
    pages = {
        f"{name}.{section}": (editor, reverse(url), query)
        for name, query in programme.items()
        for section, url in SECTION_URLS.items()
    }
    mine = reverse("analytics:mine")
    pages["my_statistics"] = (ambassador, mine, {"start": year_ago, "by": "week"})
    return pages


def _measure() -> dict[str, tuple[float, float]]:
    """In the subprocess: median and p95 of each page over LOADS loads, after two warm-up
    loads."""
    _setup()
    from django.core.cache import cache
    from django.test import Client

    # No setup_test_environment(): its instrumented template rendering, which copies every
    # context for the test client's assertions, is not what a running platform does.
    cache.clear()
    from portevoix.analytics.dashboard import clicks_cache_bump, programme_cache_bump

    programme_cache_bump()  # the kept tables have a cache of their own
    after_batch = bool(os.environ.get(AFTER_BATCH))
    found = {}
    for name, (person, url, query) in _pages().items():
        client = Client()
        client.force_login(person)
        times = []
        for n in range(LOADS + 2):
            if after_batch:
                clicks_cache_bump()  # as each ingestion batch does
            started = time.perf_counter()
            response = client.get(url, query)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (name, response.status_code)
            if n >= 2:
                times.append(elapsed)
        found[name] = (
            round(statistics.median(times), 1),
            round(statistics.quantiles(times, n=20)[-1], 1),
        )
    return found


def _p95(times: list[float]) -> float:
    return round(statistics.quantiles(times, n=20)[-1], 1)


def _measure_comparison() -> dict[str, float]:
    """In the subprocess: the overview pages, and the previous period's key figures and series
    alone (what the comparison adds to a page), LOADS times each after two warm-up loads."""
    _setup()
    from django.test import Client

    from portevoix.analytics import dashboard
    from portevoix.analytics.click_figures import ClickFigures
    from portevoix.analytics.filters import filters_parse

    overview, comparison = [], []
    for page, (person, url, query) in _pages().items():
        if not page.endswith(".overview"):
            continue
        client = Client()
        client.force_login(person)
        current = filters_parse(data={key: str(value) for key, value in query.items()})
        page_times, compare_times = [], []
        for n in range(LOADS + 2):
            started = time.perf_counter()
            assert client.get(url, query).status_code == 200, page
            middle = time.perf_counter()
            before = ClickFigures(current).previous()
            dashboard.programme_figures(filters=before.filters, figures=before)
            dashboard.previous_series(before)
            if n >= 2:
                page_times.append((middle - started) * 1000)
                compare_times.append((time.perf_counter() - middle) * 1000)
        overview.append(_p95(page_times))
        comparison.append(_p95(compare_times))
    return {"overview": max(overview), "comparison": max(comparison)}


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(_measure()))
    elif sys.argv[1:] == ["compare"]:
        print(json.dumps(_measure_comparison()))
    elif sys.argv[1:] == ["size"]:
        print(json.dumps(_size()))
    elif sys.argv[1:] == ["build"]:
        # The PostgreSQL data set alone, built ahead (hours for the tenfold one on a small
        # machine), for `make bench` to reuse.
        url = postgres_database(PG_NAME, fresh=False)
        assert url, "PostgreSQL not reachable (TEST_POSTGRES_URL)"
        for key, value in _data_set("postgresql", url)[1].items():
            print(f"{key}{SUFFIX}: {value}", flush=True)
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
