"""The leaderboard and challenges as the pages show them: hidden people absent, my own rank."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portevoix.gamification.models import Challenge, PointEntry


def _points(person, points: int) -> None:
    PointEntry.objects.create(
        person=person,
        action="share",
        points=points,
        source=f"test:{person.pk}:{points}",
        slot=f"test:{person.pk}",
        occurred_at=timezone.now(),
    )


def test_the_leaderboard_is_the_pages_and_hides_who_hid(api_as, client_for, alice, dave, bob):
    _points(alice, 30)
    _points(dave, 50)
    dave.hide_from_rankings = True
    dave.save(update_fields=["hide_from_rankings"])
    answered = api_as(alice, "read").get("/api/v1/leaderboard", {"period": "all"}).json()
    assert [(r["name"], r["points"]) for r in answered["rows"]] == [("Alice Martin", 30)]
    assert answered["me"]["rank"] == 1
    page = client_for(alice).get(reverse("gamification:leaderboard"), {"period": "all"})
    assert [(r.name, r.points) for r in page.context["rows"]] == [("Alice Martin", 30)]
    assert (
        api_as(dave, "read").get("/api/v1/leaderboard", {"period": "all"}).json()["me"]["rank"] == 1
    )


def test_bad_leaderboard_filters_are_a_400(api_as, alice):
    api = api_as(alice, "read")
    assert api.get("/api/v1/leaderboard", {"period": "siècle"}).status_code == 400
    assert api.get("/api/v1/leaderboard", {"group": 999999}).status_code == 400
    assert api.get("/api/v1/leaderboard", {"group": "abc"}).status_code == 422


def test_a_challenge_shows_its_standings(api_as, alice, bob):
    now = timezone.now()
    challenge = Challenge.objects.create(
        title="Printemps",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        metric="shares",
        created_by=bob,
    )
    api = api_as(alice, "read")
    listed = api.get("/api/v1/challenges").json()["items"]
    assert [c["title"] for c in listed] == ["Printemps"]
    detail = api.get(f"/api/v1/challenges/{challenge.pk}").json()
    assert detail["closed"] is False and detail["mine"] == 0 and detail["standings"] == []
    assert api.get("/api/v1/challenges/999999").status_code == 404
