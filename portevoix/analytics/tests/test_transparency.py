""" "What my employer sees about me" shows what the pilot pages show for the same person: the
statistics an editor opens for them, the dashboard's top ambassadors, the leaderboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.gamification.models import Action, PointEntry

DECEMBER = {"start": "2025-12-01", "end": "2025-12-31"}


@pytest.fixture
def points(world):
    now = timezone.now()
    for person, amount in ((world.alice, 30), (world.frank, 50)):
        PointEntry.objects.create(
            person=person,
            action=Action.SHARE,
            points=amount,
            source=f"test:{person.pk}",
            slot="",
            occurred_at=now - timedelta(minutes=5),
        )
    return world


def seen_of(response) -> dict:
    return {item.slug: item for item, _kept in response.context["seen"]}


def summary(response) -> dict:
    """Label → value of the key figures table of a statistics page."""
    table = next(t for t in response.context["tables"] if t.slug == "summary")
    return {str(row[0]): row[1] for row in table.rows}


def test_the_page_shows_what_each_pilot_page_shows(client, client_for, points, carol, bob):
    world = points
    alice = world.alice
    mine = seen_of(client_for(alice).get(reverse("analytics:about_me"), DECEMBER))

    # The statistics page an editor opens for alice, for the same period.
    statistics = client_for(bob).get(
        reverse("analytics:mine"), {**DECEMBER, "ambassador": alice.pk}
    )
    assert statistics.status_code == 200
    assert {str(k): v for k, v in mine["key_figures"].values} == summary(statistics)
    assert summary(statistics)["Clics vérifiés"] == 4
    per_post = next(t for t in statistics.context["tables"] if t.slug == "posts")
    assert mine["per_post"].rows == per_post.rows

    # The dashboard's top ambassadors, as an admin sees it.
    rankings = client_for(carol).get(reverse("analytics:rankings"), DECEMBER)
    top = next(t for t in rankings.context["tables"] if t.slug == "ambassadors")
    assert mine["top_ambassadors"].rows == [r for r in top.rows if r[0] == alice.full_name]
    assert mine["top_ambassadors"].rows[0][1] == 4

    # The leaderboard, as a colleague sees it.
    board = client_for(bob).get(reverse("gamification:leaderboard"))
    row = next(r for r in board.context["rows"] if r.person_id == alice.pk)
    values = dict(mine["leaderboard"].values)
    assert (values["Points"], values["Rang"], values["Visible des autres"]) == (
        row.points,
        row.rank,
        "oui",
    )
    assert (row.points, row.rank) == (30, 2)


def test_a_namesake_is_not_shown_the_other_s_line(client_for, world, settings):
    settings.ANALYTICS_CACHE_SECONDS = 0
    twin = make_person("alice.martin2@example.com", world.alice.full_name, "ambassador")
    mine = seen_of(client_for(twin).get(reverse("analytics:about_me"), DECEMBER))
    assert mine["top_ambassadors"].rows == []
    assert {str(k): str(v) for k, v in mine["top_ambassadors"].values} == {"Présent": "non"}
    alices = seen_of(client_for(world.alice).get(reverse("analytics:about_me"), DECEMBER))
    assert alices["top_ambassadors"].rows[0][1] == 4


def test_hiding_from_rankings_shows_on_the_page_as_on_the_pilot_pages(client_for, points, carol):
    alice = points.alice
    alice.hide_from_rankings = True
    alice.save()
    mine = seen_of(client_for(alice).get(reverse("analytics:about_me"), DECEMBER))
    board = client_for(carol).get(reverse("gamification:leaderboard"))
    assert alice.pk not in [r.person_id for r in board.context["rows"]]
    assert dict(mine["leaderboard"].values)["Visible des autres"] == "non"
    rankings = client_for(carol).get(reverse("analytics:rankings"), DECEMBER)
    top = next(t for t in rankings.context["tables"] if t.slug == "ambassadors")
    assert alice.full_name not in [r[0] for r in top.rows]
    assert mine["top_ambassadors"].rows == []


def test_each_row_says_who_sees_it_and_how_long_it_is_kept(client_for, world, settings):
    settings.CLICK_RETENTION_DAYS = 30
    response = client_for(world.alice).get(reverse("analytics:about_me"), DECEMBER)
    text = response.content.decode()
    assert "30 jours, puis supprimés (CLICK_RETENTION_DAYS)" in text
    assert "éditeurs des groupes auxquels vous appartenez" in text
    for slug in ("account", "key_figures", "per_post", "raw_clicks", "leaderboard", "audit"):
        assert f'id="seen-{slug}"' in text


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave"])
def test_every_role_sees_only_their_own_page(client_for, request, world, person):
    who = request.getfixturevalue(person)
    response = client_for(who).get(
        reverse("analytics:about_me"), {**DECEMBER, "ambassador": world.frank.pk}
    )
    assert response.status_code == 200
    account = dict(seen_of(response)["account"].values)
    assert account["E-mail"] == who.email  # never frank's, whatever the query asks


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse("analytics:about_me"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_bad_period_is_refused_with_a_reason(client_for, world):
    response = client_for(world.alice).get(
        reverse("analytics:about_me"), {"start": "2025-12-31", "end": "2025-12-01"}
    )
    assert response.status_code == 400
    assert "La date de début est après la date de fin." in response.content.decode()


def test_the_page_is_linked_from_the_profile_and_my_data(client_for, alice):
    for name in ("accounts:profile", "accounts:my_data"):
        text = client_for(alice).get(reverse(name)).content.decode()
        assert reverse("analytics:about_me") in text
        assert reverse("analytics:brand_export") in text
