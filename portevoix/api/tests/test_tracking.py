"""Tracked links and verified clicks by period, for the pilot team."""

from __future__ import annotations

from datetime import datetime

from portevoix.tracking.models import Click, ClickKind
from portevoix.tracking.tests.conftest import campaign, link, post  # noqa: F401 (fixtures)
from portevoix.tracking.visitors import organisation_zone


def _click(link, n: int, at: str, kind: int = ClickKind.VERIFIED) -> Click:  # noqa: F811
    moment = datetime.fromisoformat(at).replace(tzinfo=organisation_zone())
    return Click.objects.create(
        click_id=f"c{n:019d}", link=link, at=moment, kind=kind, visitor=f"v{n}", device="mobile"
    )


def test_verified_clicks_of_a_period_in_the_organisations_days(api_as, bob, link):  # noqa: F811
    _click(link, 1, "2025-11-30T23:59")
    first = _click(link, 2, "2025-12-01T00:00")
    _click(link, 3, "2025-12-10T12:00", ClickKind.BOT)
    last = _click(link, 4, "2025-12-31T23:59")
    _click(link, 5, "2026-01-01T00:00")
    api = api_as(bob, "read")
    page = api.get("/api/v1/clicks", {"start": "2025-12-01", "end": "2025-12-31"}).json()
    assert [c["id"] for c in page["items"]] == [last.pk, first.pk]
    assert "visitor" not in page["items"][0]
    assert (
        api.get("/api/v1/clicks", {"start": "2025-12-31", "end": "2025-12-01"}).status_code == 400
    )
    assert api.get("/api/v1/clicks", {"start": "hier", "end": "2025-12-01"}).status_code == 422


def test_tracked_links_carry_their_counts(api_as, bob, link):  # noqa: F811
    items = api_as(bob, "read").get("/api/v1/links").json()["items"]
    assert [(item["code"], item["network"]) for item in items] == [(link.code, "linkedin")]


def test_the_pilot_team_lists_shares_without_their_text(api_as, bob, alice, post):  # noqa: F811
    from portevoix.sharing.models import Share

    mine = Share.objects.create(post=post, person=alice, network="linkedin", text="Mon texte")
    Share.objects.create(post=post, person=bob, network="x")
    api = api_as(bob, "read")
    found = api.get("/api/v1/shares", {"network": "linkedin"}).json()["items"]
    assert [s["id"] for s in found] == [mine.pk] and "text" not in found[0]
    assert len(api.get("/api/v1/shares", {"post": post.pk}).json()["items"]) == 2
    assert api_as(alice, "read").get("/api/v1/shares").status_code == 403
