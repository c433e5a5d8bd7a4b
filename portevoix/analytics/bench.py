"""`make bench ONLY=analytics`: dashboard answer times on a large synthetic organisation.

For SQLite (a throw-away data directory) and, when TEST_POSTGRES_URL's server answers, for
PostgreSQL (its own database `portevoix_bench_analytics`, dropped and created again): migrate,
build the organisation with `manage.py analytics_synthetic`, then load each dashboard page
through Django's test client, logged in as an editor, and report the 95th percentile.
`dashboard.p95_ms.<backend>` is the slowest page's. Figures only: never passes or fails.

Sizes from the environment: BENCH_ANALYTICS_PEOPLE (10,000), _POSTS (5,000), _SHARES
(100,000), _CLICKS (10,000,000); BENCH_ANALYTICS_LOADS loads per page (20).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SIZES = {
    "people": int(os.environ.get("BENCH_ANALYTICS_PEOPLE", "10000")),
    "posts": int(os.environ.get("BENCH_ANALYTICS_POSTS", "5000")),
    "shares": int(os.environ.get("BENCH_ANALYTICS_SHARES", "100000")),
    "clicks": int(os.environ.get("BENCH_ANALYTICS_CLICKS", "10000000")),
}
LOADS = int(os.environ.get("BENCH_ANALYTICS_LOADS", "20"))
PG_NAME = "portevoix_bench_analytics"


def _run(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url:
        return None
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_NAME}")
    except psycopg.Error:
        return None
    return urlunsplit(parts._replace(path=f"/{PG_NAME}"))


def _backend(name: str, database_url: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="portevoix-bench-analytics-") as data:
        env = {
            **os.environ,
            "PORTEVOIX_DATA_DIR": data,
            "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        }
        env.pop("REDIS_URL", None)
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        _run(env, "manage.py", "migrate", "--no-input", "-v0")
        started = time.monotonic()
        sizes = [f"--{key}={value}" for key, value in SIZES.items()]
        _run(env, "manage.py", "analytics_synthetic", *sizes)
        built = time.monotonic() - started
        pages = json.loads(_run(env, "-m", "portevoix.analytics.bench", "measure"))
    figures = {f"dashboard.build_s.{name}": round(built, 1)}
    for page, value in pages.items():
        page, kind = page.rsplit(".", 1)
        unit = "p95_ms" if kind == "p95" else "cold_median_ms"
        figures[f"dashboard.{page}.{unit}.{name}"] = value
    figures[f"dashboard.p95_ms.{name}"] = max(v for k, v in pages.items() if k.endswith(".p95"))
    figures[f"dashboard.cold_median_ms.{name}"] = max(
        v for k, v in pages.items() if k.endswith(".cold_median")
    )
    return figures


def run() -> dict[str, float]:
    figures: dict[str, float] = {f"dashboard.data.{k}": v for k, v in SIZES.items()}
    figures.update(_backend("sqlite", None))
    postgres = _postgres_url()
    if postgres:
        figures.update(_backend("postgresql", postgres))
    else:
        print("# PostgreSQL not reachable (TEST_POSTGRES_URL): skipped", flush=True)
    return figures


def _measure() -> dict[str, float]:
    """In the subprocess: p95 of each page over LOADS loads, after two warm-up loads."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from portevoix.accounts.models import Group, Person
    from portevoix.content.models import Campaign
    from portevoix.sharing.models import Share

    setup_test_environment()
    editor = Person.objects.filter(email="bench-editor@example.com").first()
    editor = editor or Person.objects.create_user(
        email="bench-editor@example.com", full_name="Bench", role="editor"
    )
    sharer = Share.objects.values_list("person_id", flat=True).order_by("person_id")[500]
    ambassador = Person.objects.get(pk=sharer)
    campaign = Campaign.objects.order_by("pk").first().pk
    group = Group.objects.order_by("pk").first().pk
    pages = {
        "last30days": (editor, reverse("analytics:dashboard"), {}),
        "year_by_month": (editor, reverse("analytics:dashboard"), {"start": "", "by": "month"}),
        "campaign_and_group": (
            editor,
            reverse("analytics:dashboard"),
            {"campaign": campaign, "group": group},
        ),
        "my_statistics": (ambassador, reverse("analytics:mine"), {"by": "week"}),
    }
    from datetime import timedelta

    from django.utils import timezone

    year_ago = (timezone.localdate() - timedelta(days=364)).isoformat()
    pages["year_by_month"][2]["start"] = year_ago
    from django.core.cache import cache

    found = {}
    for name, (person, url, query) in pages.items():
        client = Client()
        client.force_login(person)
        # Cold: nothing kept (ANALYTICS_CACHE_SECONDS), what the first load after a minute pays.
        cold = []
        for _n in range(3):
            cache.clear()
            started = time.perf_counter()
            assert client.get(url, query).status_code == 200
            cold.append((time.perf_counter() - started) * 1000)
        found[f"{name}.cold_median"] = round(statistics.median(cold), 1)
        times = []
        for n in range(LOADS + 2):
            started = time.perf_counter()
            response = client.get(url, query)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (name, response.status_code)
            if n >= 2:
                times.append(elapsed)
        found[f"{name}.p95"] = round(statistics.quantiles(times, n=20)[-1], 1)
    return found


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(_measure()))
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
