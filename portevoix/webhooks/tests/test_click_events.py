"""Verified clicks reach endpoints as one event per ingestion batch, counted per post: never one
call per click, never who clicked or whose link it was. Real redirects, real ingestion."""

from __future__ import annotations

import pytest

from portevoix.content.tests.factories import make_post
from portevoix.tracking.conversions import ConversionReport, conversion_record
from portevoix.tracking.hotpath.app import RedirectApp
from portevoix.tracking.hotpath.cache import LinkCache
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.tests.conftest import call, click_id_of, django_fallback


@pytest.fixture
def redirect_app(transactional_db, tmp_path, settings):
    """The real redirect with its inbox; transactional, so commits (and signals) are real."""
    settings.CLICK_INBOX_DIR = tmp_path / "click-inbox"
    app = RedirectApp(django_fallback, links=LinkCache(check_every=0))
    yield app
    app.committer.close()


@pytest.fixture
def link(transactional_db, alice):
    return tracked_link_for(post=make_post(), ambassador=alice, network="linkedin")


def test_verified_clicks_of_one_ingestion_are_one_event(
    receiver, make_endpoint, redirect_app, link, alice
):
    _endpoint, secret = make_endpoint(["click.verified"])
    code = f"/s/{link.code}"
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        call(redirect_app, code, ip=address)
    call(redirect_app, code, user_agent="LinkedInBot/1.0 (compatible; Mozilla/5.0)")
    report = clicks_ingest()
    assert report.by_kind["verified"] == 3
    [message] = receiver.received
    data = message.verified_by(secret)["data"]
    assert data["verified_clicks"] == 3
    assert data["posts"] == [{"id": link.post_id, "verified_clicks": 3}]
    assert "person" not in message.body.decode() and str(link.code) not in message.body.decode()


def test_a_conversion_names_its_goal_post_network_and_ambassador_id(
    receiver, make_endpoint, redirect_app, link, alice
):
    _endpoint, secret = make_endpoint(["conversion.created"])
    click = click_id_of(call(redirect_app, f"/s/{link.code}"))
    conversion = conversion_record(
        report=ConversionReport(click_id=click, goal="job_application", label=""), source="api"
    )
    data = receiver.received[0].verified_by(secret)["data"]
    assert data["conversion"]["id"] == conversion.pk
    assert data["conversion"]["goal"] == "job_application" and data["conversion"]["counted"]
    assert data["post"]["id"] == link.post_id and data["network"] == "linkedin"
    assert data["person"] == {"id": alice.pk}
