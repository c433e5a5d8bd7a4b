"""Points from what tracking verified, through the real redirect, inbox and ingestion."""

import pytest

from portevoix.content.tests.factories import make_post
from portevoix.gamification.models import Action, BadgeAward, PointEntry, PointRule
from portevoix.sharing.shares import share_create
from portevoix.tracking.conversions import ConversionReport, conversion_record
from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import ConversionSource
from portevoix.tracking.tests.conftest import FIREFOX, call, click_id_of, django_fallback


@pytest.fixture
def redirect(transactional_db, tmp_path, settings):
    settings.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    app = RedirectApp(django_fallback, links=LinkCache(check_every=0))
    yield app
    app.committer.close()


def visit(app, link, ip, user_agent=FIREFOX):
    return call(app, f"/s/{link.code}", ip=ip, user_agent=user_agent)


def test_a_share_earns_its_points_at_its_first_verified_click_only(redirect, charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice", "ambassador")
    result = share_create(
        person=alice, post=make_post(), network="linkedin", text="Bravo #collaborateur"
    )
    link = result.share.tracked_link
    assert not PointEntry.objects.exists()  # opening a share page earns nothing

    visit(redirect, link, "198.51.100.1", user_agent="LinkedInBot/1.0 (compatible; Mozilla/5.0)")
    clicks_ingest()
    assert not PointEntry.objects.exists()  # a preview fetcher is not a reader

    visit(redirect, link, "198.51.100.2")
    visit(redirect, link, "198.51.100.2")  # the same visitor again the same day: a repeat
    visit(redirect, link, "198.51.100.3")
    clicks_ingest()
    actions = sorted(PointEntry.objects.filter(person=alice).values_list("action", flat=True))
    assert actions == [Action.SHARE, Action.VERIFIED_CLICK, Action.VERIFIED_CLICK]
    assert BadgeAward.objects.filter(person=alice, badge="first_share").exists()

    # Sharing the same post on the same network again earns no new share points.
    share_create(
        person=alice, post=result.share.post, network="linkedin", text="Encore #collaborateur"
    )
    visit(redirect, link, "198.51.100.4")
    clicks_ingest()
    assert PointEntry.objects.filter(person=alice, action=Action.SHARE).count() == 1


def test_a_conversion_earns_points_and_a_badge(redirect, charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice", "ambassador")
    PointRule.objects.create(action=Action.CONVERSION, points=40)
    link = share_create(
        person=alice, post=make_post(), network="x", text="On recrute #collaborateur"
    ).share.tracked_link
    answer = visit(redirect, link, "198.51.100.9")
    clicks_ingest()
    conversion_record(
        report=ConversionReport(click_id=click_id_of(answer), goal="job_application", label=""),
        source=ConversionSource.API,
    )
    entry = PointEntry.objects.get(person=alice, action=Action.CONVERSION)
    assert entry.points == 40
    assert BadgeAward.objects.filter(person=alice, badge="first_conversion").exists()


def test_a_click_earns_conversion_points_once_whatever_its_goals_and_labels(redirect, charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice", "ambassador")
    link = share_create(
        person=alice, post=make_post(), network="x", text="On recrute #collaborateur"
    ).share.tracked_link
    click_id = click_id_of(visit(redirect, link, "198.51.100.9"))
    clicks_ingest()
    for goal in ("job_application", "lead", "sign_up"):
        conversion_record(
            report=ConversionReport(click_id=click_id, goal=goal, label=""),
            source=ConversionSource.API,
        )
    # Three goals of one visit are three conversions, but the visit earns its points once.
    entries = PointEntry.objects.filter(person=alice, action=Action.CONVERSION)
    assert entries.count() == 1
    assert entries.get().points == 50
