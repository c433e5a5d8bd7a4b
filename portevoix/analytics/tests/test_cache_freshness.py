"""The kept dashboard follows the data: new shares, ingestion runs, erasure, opt-out and hiding
from rankings show at once, no cache file keeps an erased name, and every page says when its
figures were computed."""

import os
import pickle
import re
import time
import uuid
import zlib
from pathlib import Path

import pytest
import redis
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.accounts.participation import ambassador_opt_out
from portevoix.accounts.privacy import person_erase
from portevoix.analytics import dashboard, receivers
from portevoix.analytics.tests.conftest import attribution_of, clicks_counted, local
from portevoix.content.models import Post
from portevoix.sharing.models import Share
from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.ingest import IngestReport, clicks_ingest
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import ClickKind, TrackedLink
from portevoix.tracking.signals import clicks_ingested
from portevoix.tracking.tests.conftest import call, django_fallback
from portevoix.tracking.visitors import organisation_zone

DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}
FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"


@pytest.fixture
def kept(settings):
    settings.ANALYTICS_CACHE_SECONDS = 300
    return settings


@pytest.fixture
def file_caches(kept, tmp_path):
    """Production's cache without Redis: files on disk, the analytics pages in their own folder."""
    kept.CACHES = {
        "default": {"BACKEND": FILE_CACHE, "LOCATION": str(tmp_path / "cache")},
        "analytics": {"BACKEND": FILE_CACHE, "LOCATION": str(tmp_path / "cache-analytics")},
    }
    return tmp_path


def files_naming(folder: Path, name: str) -> list[Path]:
    """Cache files (expired or not) whose stored value holds `name`."""
    found = []
    for path in folder.rglob("*.djcache"):
        with path.open("rb") as handle:
            pickle.load(handle)  # the expiry time
            if name.encode() in zlib.decompress(handle.read()):
                found.append(path)
    return found


def figure(response, label: str):
    return dict(row[:2] for row in response.context["tables"][0].rows)[label]


def frank_shares_on_x(world) -> Share:
    return Share.objects.create(
        post=world.other_post,
        person=world.frank,
        network="x",
        created_at=local("2025-12-20T10:00"),
    )


def test_a_new_share_shows_on_the_kept_dashboard_at_once(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    url = reverse("analytics:dashboard")
    assert figure(client_for(bob).get(url, DECEMBER), "Partages") == 3
    with django_capture_on_commit_callbacks(execute=True):
        frank_shares_on_x(world)
    assert figure(client_for(bob).get(url, DECEMBER), "Partages") == 4


def test_an_ingestion_run_shows_on_the_kept_dashboard_at_once(kept, transactional_db, tmp_path):
    kept.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    alice = make_person("alice@example.com", "Alice Martin", "ambassador")
    bob = make_person("bob@example.com", "Bob Durand", "editor")
    post = Post.objects.create(
        title="Un poste", url="https://www.example.com/p", status="published"
    )
    link = tracked_link_for(post=post, ambassador=alice, network="linkedin")
    client = Client()
    client.force_login(bob)
    url = reverse("analytics:dashboard")
    # The first load, before any click: zeros, kept.
    assert figure(client.get(url), "Clics vérifiés") == 0
    app = RedirectApp(django_fallback, links=LinkCache(check_every=0))
    try:
        assert call(app, f"/s/{link.code}").status == 302
    finally:
        app.committer.close()
    assert clicks_ingest().by_kind == {"verified": 1}
    assert figure(client.get(url), "Clics vérifiés") == 1


def test_with_redis_an_erasure_takes_the_name_off_the_kept_pages(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    url = os.environ.get("PORTEVOIX_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis not reachable: set PORTEVOIX_TEST_REDIS_URL")
    namespace = f"pvtest{uuid.uuid4().hex[:12]}"
    kept.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": namespace,
        }
    }
    try:
        rankings = reverse("analytics:rankings")
        first = client_for(bob).get(rankings, DECEMBER)
        assert "Alice Martin" in first.content.decode()
        kept_page = client_for(bob).get(rankings, DECEMBER)
        assert kept_page.context["tables"].as_of == first.context["tables"].as_of
        with django_capture_on_commit_callbacks(execute=True):
            person_erase(person=world.alice)
        assert "Alice Martin" not in client_for(bob).get(rankings, DECEMBER).content.decode()
    finally:
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(f"{namespace}:*"):
            server.delete(key)


def test_erasure_takes_the_name_off_kept_pages_exports_and_cache_files(
    file_caches, client_for, bob, carol, world, django_capture_on_commit_callbacks
):
    rankings = reverse("analytics:rankings")
    export = reverse("analytics:export", args=["ambassadors", "csv"])
    client = client_for(bob)
    assert "Alice Martin" in client.get(rankings, DECEMBER).content.decode()
    assert "Alice Martin" in b"".join(client.get(export, DECEMBER).streaming_content).decode()
    assert files_naming(file_caches, "Alice Martin")
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=world.alice)
    client = client_for(bob)
    assert "Alice Martin" not in client.get(rankings, DECEMBER).content.decode()
    assert "Alice Martin" not in b"".join(client.get(export, DECEMBER).streaming_content).decode()
    assert files_naming(file_caches, "Alice Martin") == []


def test_an_expired_cache_file_does_not_keep_an_erased_name_on_disk(
    file_caches, settings, client_for, bob, world, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_CACHE_SECONDS = 1
    client_for(bob).get(reverse("analytics:rankings"), DECEMBER)
    time.sleep(1.1)  # expired, yet still on disk: nothing reads it again
    assert files_naming(file_caches, "Alice Martin")
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=world.alice)
    assert files_naming(file_caches, "Alice Martin") == []


def test_hiding_from_rankings_shows_on_the_kept_rankings_at_once(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    rankings = reverse("analytics:rankings")
    assert "Alice Martin" in client_for(bob).get(rankings, DECEMBER).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        world.alice.hide_from_rankings = True
        world.alice.save()
    assert "Alice Martin" not in client_for(bob).get(rankings, DECEMBER).content.decode()


def test_a_name_change_shows_on_the_kept_rankings_at_once(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    rankings = reverse("analytics:rankings")
    assert "Alice Martin" in client_for(bob).get(rankings, DECEMBER).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        world.alice.full_name = "Alice Bernard"
        world.alice.save(update_fields=["full_name"])
    assert "Alice Bernard" in client_for(bob).get(rankings, DECEMBER).content.decode()


def test_opting_out_shows_on_the_kept_dashboard_at_once(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    url = reverse("analytics:dashboard")
    before = figure(client_for(bob).get(url), "Inscrits au programme")
    with django_capture_on_commit_callbacks(execute=True):
        ambassador_opt_out(person=world.alice)
    assert figure(client_for(bob).get(url), "Inscrits au programme") == before - 1


def test_logging_in_keeps_the_dashboard(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    client_for(bob).get(reverse("analytics:dashboard"), DECEMBER)
    before = dashboard.programme_cache_version()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.alice)  # saves her last_login
    assert dashboard.programme_cache_version() == before


AS_OF = re.compile(r"Chiffres calculés à (\d\d:\d\d) \(Europe/Paris\)")


@pytest.mark.parametrize(
    "url_name", ["analytics:dashboard", "analytics:rankings", "analytics:health", "analytics:mine"]
)
def test_every_analytics_page_says_when_its_figures_were_computed(
    url_name, kept, client_for, bob, world
):
    response = client_for(bob).get(reverse(url_name), DECEMBER)
    shown = AS_OF.findall(response.content.decode())
    computed = timezone.localtime(response.context["tables"].as_of, organisation_zone())
    assert shown == [computed.strftime("%H:%M")]
    assert abs((timezone.now() - response.context["tables"].as_of).total_seconds()) < 60


def test_a_campaigns_figures_say_when_they_were_computed(kept, client_for, bob, world):
    query = DECEMBER | {"campaign": str(world.campaign.pk)}
    response = client_for(bob).get(reverse("analytics:dashboard"), query)
    assert len(AS_OF.findall(response.content.decode())) == 1


def test_a_kept_page_gives_the_time_of_its_figures_not_of_the_visit(kept, client_for, bob, world):
    url = reverse("analytics:dashboard")
    first = client_for(bob).get(url, DECEMBER).context["tables"].as_of
    time.sleep(0.01)
    assert client_for(bob).get(url, DECEMBER).context["tables"].as_of == first


def test_without_redis_the_kept_tables_have_a_cache_folder_of_their_own():
    from portevoix import settings as production

    if production.REDIS_URL:
        pytest.skip("REDIS_URL is set: the tables stay in Redis")
    kept_in = production.CACHES["analytics"]
    assert kept_in["BACKEND"] == FILE_CACHE
    assert kept_in["LOCATION"] != production.CACHES["default"]["LOCATION"]


def _tables_read(queries) -> set[str]:
    return {
        table
        for query in queries.captured_queries
        for table in ("analytics_shareactivity", "sharing_share", "tracking_clickcount")
        if table in query["sql"]
    }


@pytest.mark.parametrize("page", ["analytics:dashboard", "analytics:health"])
def test_after_an_ingestion_batch_only_the_click_figures_are_read_again(
    kept, client_for, bob, world, page, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portevoix.tracking.ingest import IngestReport
    from portevoix.tracking.signals import clicks_ingested

    client = client_for(bob)
    url = reverse(page)
    first = client.get(url, DECEMBER)
    clicks_ingested.send(sender=IngestReport)  # what a batch sends once it committed
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, DECEMBER)
    # The share figures were kept (the overview's top fives still count the shares of the
    # posts and people that placed, which clicks decide); the click figures were read again.
    assert "analytics_shareactivity" not in _tables_read(queries)
    assert "tracking_clickcount" in _tables_read(queries)
    assert [t.rows for t in again.context["tables"]] == [t.rows for t in first.context["tables"]]

    # A share is not a batch: everything is read again, and it shows.
    with django_capture_on_commit_callbacks(execute=True):
        frank_shares_on_x(world)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, DECEMBER)
    assert "analytics_shareactivity" in _tables_read(queries)
    if page == "analytics:dashboard":
        assert figure(client.get(url, DECEMBER), "Partages") == 4


def test_kept_share_figures_leave_the_rows_of_each_person_behind(world):
    from portevoix.analytics.share_figures import ShareFigures
    from portevoix.analytics.tests.conftest import period

    shares = ShareFigures(period("2025-12-01", "2025-12-31"))
    engagement = shares.engagement_by_group()
    monthly = shares.monthly_active()
    assert shares.people_days  # read for those figures
    kept = pickle.loads(pickle.dumps(shares))
    assert "people_days" not in kept.__dict__
    assert [(e.group.pk, e.members, e.active) for e in kept.engagement_by_group()] == [
        (e.group.pk, e.members, e.active) for e in engagement
    ]
    assert kept.monthly_active() == monthly


def _clicks_counted(link, group_ids: tuple[int, ...], at: str, *visitors: str) -> None:
    """Verified clicks on `link`, counted as an ingestion batch counts them, and the signal
    the batch sends once it committed."""
    attribution = attribution_of(link, group_ids)
    clicks_counted([(at, ClickKind.VERIFIED, visitor, attribution) for visitor in visitors])
    clicks_ingested.send(sender=IngestReport)


def _links_read(queries) -> bool:
    return any('FROM "tracking_trackedlink"' in query["sql"] for query in queries.captured_queries)


def test_a_page_keeps_the_links_its_filters_match_across_ingestion_batches(
    kept, client_for, bob, world, django_capture_on_commit_callbacks
):
    """A campaign and a group: figures from the matching links' counters. A batch reads the
    counters again, not the links; a new link, a post moved into the campaign and a deleted
    campaign each make the page find its links again, and show at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bob)
    url = reverse("analytics:dashboard")
    page = {**DECEMBER, "campaign": world.campaign.pk, "group": world.ventes.pk}
    assert figure(client.get(url, page), "Clics vérifiés") == 4

    _clicks_counted(world.alice_link, (world.ventes.pk,), "2025-12-15T10:00", "n1")
    with CaptureQueriesContext(connection) as queries:
        assert figure(client.get(url, page), "Clics vérifiés") == 5
    assert not _links_read(queries)

    # Alice's first link on X: created, then clicked.
    with django_capture_on_commit_callbacks(execute=True):
        x_link = tracked_link_for(post=world.job_post, ambassador=world.alice, network="x")
    _clicks_counted(x_link, (world.ventes.pk,), "2025-12-16T10:00", "n2", "n3")
    with CaptureQueriesContext(connection) as queries:
        assert figure(client.get(url, page), "Clics vérifiés") == 7
    assert _links_read(queries)

    # Alice's link on the other post, clicked, then the post moved into the campaign.
    other_link = tracked_link_for(post=world.other_post, ambassador=world.alice, network="x")
    _clicks_counted(other_link, (world.ventes.pk,), "2025-12-17T10:00", "n4")
    assert figure(client.get(url, page), "Clics vérifiés") == 7
    with django_capture_on_commit_callbacks(execute=True):
        world.other_post.campaign = world.campaign
        world.other_post.save()
    assert figure(client.get(url, page), "Clics vérifiés") == 8

    # The other post saved with its campaign unchanged: the links stay kept.
    with django_capture_on_commit_callbacks(execute=True):
        world.other_post.title = "Notre atelier rénové"
        world.other_post.save()
    client.get(url, page)
    _clicks_counted(world.alice_link, (world.ventes.pk,), "2025-12-18T10:00", "n5")
    with CaptureQueriesContext(connection) as queries:
        assert figure(client.get(url, page), "Clics vérifiés") == 9
    assert not _links_read(queries)

    # The campaign deleted: its posts lose it by one UPDATE, without a signal of their own.
    # A network and a group break down by campaign from the links, which carry it.
    in_network = {**DECEMBER, "group": world.ventes.pk, "network": "x"}
    client.get(url, in_network)
    _clicks_counted(world.alice_link, (world.ventes.pk,), "2025-12-19T10:00", "n6")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, in_network)
    assert not _links_read(queries)
    with django_capture_on_commit_callbacks(execute=True):
        world.campaign.delete()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, in_network)
    assert _links_read(queries)


def test_kept_links_travel_with_a_page_up_to_a_limit(world, monkeypatch):
    from portevoix.analytics.click_figures import links
    from portevoix.analytics.tests.conftest import period

    filters = period("2025-12-01", "2025-12-31")
    owners = links.LinkOwners(filters)
    assert owners.found  # every link: no filter
    assert pickle.loads(pickle.dumps(owners)).__dict__["found"] == owners.found
    monkeypatch.setattr(links, "LINK_OWNERS_KEPT_MAX", len(owners.found) - 1)
    again = pickle.loads(pickle.dumps(owners))
    assert "found" not in again.__dict__
    assert again.found == owners.found  # found again when asked


def _bumps_counted(monkeypatch) -> list[str]:
    """The programme bumps the receivers make from now on, each still made."""
    made: list[str] = []

    def bump() -> None:
        dashboard.programme_cache_bump()
        made.append(dashboard.programme_cache_version())

    monkeypatch.setattr(receivers, "programme_cache_bump", bump)
    return made


def test_an_erasure_bumps_the_kept_tables_once(
    kept, world, monkeypatch, django_capture_on_commit_callbacks
):
    # Each of these links' deletions asks for a bump, as do the deletions of the person's two
    # network accounts and of the person.
    tracked_link_for(post=world.other_post, ambassador=world.alice, network="x")
    assert TrackedLink.objects.filter(ambassador=world.alice).count() == 2
    before = dashboard.programme_cache_version()
    made = _bumps_counted(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person_erase(person=world.alice)
    assert len(callbacks) >= 3
    assert len(made) == 1
    assert made[0] != before


def test_a_rolled_back_change_leaves_the_next_commit_its_bump(
    kept, world, monkeypatch, django_capture_on_commit_callbacks
):
    made = _bumps_counted(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                frank_shares_on_x(world)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert made == []
    with django_capture_on_commit_callbacks(execute=True):
        frank_shares_on_x(world)
        frank_shares_on_x(world)
    assert len(made) == 1
