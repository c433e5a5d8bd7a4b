from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.gamification.leaderboards import leaderboard, period_start, rank_of
from portevoix.gamification.models import Action
from portevoix.gamification.points import points_award


def give(person, points_shares, at=None):
    at = at or timezone.now()
    for i in range(points_shares):
        points_award(
            person=person,
            action=Action.SHARE,
            source=f"share:{person.pk}:{i}:{at.timestamp()}",
            at=at,
        )


@pytest.fixture
def people(charter):
    return [make_person(f"p{i}@example.com", f"Person {i}", "ambassador") for i in range(4)]


def test_ranking_with_ties(people):
    give(people[0], 3)
    give(people[1], 5)
    give(people[2], 3)
    rows = leaderboard(period="all")
    assert [(r.rank, r.name, r.points) for r in rows] == [
        (1, "Person 1", 50),
        (2, "Person 0", 30),
        (2, "Person 2", 30),
    ]


def test_hidden_people_never_appear_but_see_their_own_rank(client_for, people):
    give(people[0], 1)
    give(people[1], 9)
    people[1].hide_from_rankings = True
    people[1].save()
    assert [r.name for r in leaderboard(period="all")] == ["Person 0"]
    assert rank_of(people[1], period="all").rank == 1
    assert rank_of(people[0], period="all").rank == 1
    page = (
        client_for(people[0])
        .get(reverse("gamification:leaderboard") + "?period=all")
        .content.decode()
    )
    assert "Person 1" not in page
    own = (
        client_for(people[1])
        .get(reverse("gamification:leaderboard") + "?period=all")
        .content.decode()
    )
    assert "Person 1" not in own.split('class="my-rank"')[1].split("</p>")[1]


def test_people_who_opt_out_leave_the_leaderboard(people):
    give(people[0], 2)
    people[0].opted_in_at = None
    people[0].save()
    assert leaderboard(period="all") == []


def test_periods_and_groups(people):
    old = timezone.now() - timedelta(days=400)
    give(people[0], 5, at=old)
    give(people[1], 1)
    assert [r.name for r in leaderboard(period="month")] == ["Person 1"]
    assert [r.name for r in leaderboard(period="all")] == ["Person 0", "Person 1"]
    sales = Group.objects.create(name="Ventes")
    people[0].groups.add(sales)
    assert [r.name for r in leaderboard(period="all", group=sales)] == ["Person 0"]


def test_period_starts_follow_the_organisation_time_zone(settings):
    # 2026-01-04 23:30 UTC is already Monday 5 January in Paris: a new week there.
    now = datetime(2026, 1, 4, 23, 30, tzinfo=UTC)
    start = period_start("week", now)
    assert start.isoformat() == "2026-01-05T00:00:00+01:00"
    assert period_start("quarter", now).isoformat() == "2026-01-01T00:00:00+01:00"


@pytest.mark.parametrize(
    "query", ["?period=decade", "?group=abc", "?group=99999", "?period=all&group=-1"]
)
def test_bad_filters_give_a_message_not_an_error(client_for, alice, query):
    response = client_for(alice).get(reverse("gamification:leaderboard") + query)
    assert response.status_code == 200
    assert b'class="message error"' in response.content


def test_no_rank_in_a_group_i_am_not_in_nor_once_opted_out(client_for, people):
    paris, lyon = Group.objects.create(name="Paris"), Group.objects.create(name="Lyon")
    people[0].groups.add(paris)
    people[1].groups.add(lyon)
    give(people[0], 5)
    give(people[1], 1)
    assert rank_of(people[0], period="all", group=paris).rank == 1
    assert rank_of(people[0], period="all", group=lyon) is None
    client = client_for(people[0])
    response = client.get(reverse("gamification:leaderboard"), {"group": lyon.pk})
    assert [r.name for r in response.context["rows"]] == ["Person 1"]
    assert response.context["me"] is None
    page = response.content.decode()
    assert 'class="my-rank"' not in page and "pas partie de ce classement" in page
    people[0].opted_in_at = None
    people[0].save()
    assert rank_of(people[0], period="all") is None
