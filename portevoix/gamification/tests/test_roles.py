"""Points, leaderboards and challenges, for every role: pages, and actions that change nothing
when refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.content.models import Campaign
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    PILOT,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
    refused_cases,
    snapshot,
)
from portevoix.gamification.models import Action, Challenge, PointRule


@pytest.fixture
def objects(db, alice, bob):
    now = timezone.now()
    campaign = Campaign.objects.create(name="Printemps", utm_campaign="printemps")
    running = Challenge.objects.create(
        title="Défi du printemps",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6),
        metric="shares",
        campaign=campaign,
        created_by=bob,
    )
    return {"challenge": running, "campaign": campaign}


PAGES = [  # url name, object it needs, who opens it
    ("gamification:mine", None, LOGGED_IN),
    ("gamification:leaderboard", None, LOGGED_IN),
    ("gamification:challenges", None, LOGGED_IN),
    ("gamification:challenge", "challenge", LOGGED_IN),
    ("gamification:rules", None, ADMIN),
    ("gamification:challenge_create", None, PILOT),
    ("gamification:challenge_edit", "challenge", PILOT),
]


def challenge_data(objects: dict, **changes: str) -> dict:
    return {
        "title": "Défi de décembre",
        "starts_at": "2026-12-01T00:00",
        "ends_at": "2026-12-31T23:59",
        "metric": "verified_clicks",
        "campaign": objects["campaign"].pk,
        "mode": "individual",
        "min_threshold": "5",
        "winners_count": "3",
        "reward": "Un déjeuner",
        **changes,
    }


def rules_data(objects: dict) -> dict:
    return {**{action.value: "7" for action in Action}, "daily_cap_per_link": "4"}


ACTIONS = [  # url name, object, who may, valid form data
    ("gamification:rules", None, ADMIN, rules_data),
    ("gamification:challenge_create", None, PILOT, challenge_data),
    ("gamification:challenge_edit", "challenge", PILOT, challenge_data),
]
STATE = (Challenge, Challenge.posts.through, PointRule, AuditEntry)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,kind,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, kind, allowed):
    response = client_as(request, who).get(object_url(objects, name, kind))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize(
    "who,name,kind,data",
    refused_cases(ACTIONS),
)
def test_a_refused_action_changes_nothing(request, objects, who, name, kind, data):
    assert_post_refused(
        client_as(request, who), who, object_url(objects, name, kind), data(objects), STATE
    )


@pytest.mark.parametrize(
    "who,name,kind,data",
    allowed_cases(ACTIONS),
)
def test_an_allowed_action_does_its_work(request, objects, who, name, kind, data):
    assert_post_done(client_as(request, who), object_url(objects, name, kind), data(objects), STATE)


def test_editors_and_admins_see_the_new_challenge_button_and_others_do_not(request, objects):
    create = reverse("gamification:challenge_create")
    for who in LOGGED_IN:
        page = client_as(request, who).get(reverse("gamification:challenges")).content.decode()
        assert (create in page) is (who in PILOT), who


def test_the_challenge_list_sorts_running_coming_and_closed(client_for, objects, alice, bob):
    now = timezone.now()
    Challenge.objects.create(
        title="Défi à venir",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=9),
        metric="shares",
        campaign=objects["campaign"],
        created_by=bob,
    )
    Challenge.objects.create(
        title="Défi passé",
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=3),
        metric="shares",
        campaign=objects["campaign"],
        created_by=bob,
    )
    page = client_for(alice).get(reverse("gamification:challenges")).content.decode()
    running, coming, closed = (
        page.index(f"<h2>{h}</h2>") for h in ("En cours", "À venir", "Terminés")
    )
    assert running < page.index("Défi du printemps") < coming
    assert coming < page.index("Défi à venir") < closed
    assert closed < page.index("Défi passé")


def test_a_closed_challenge_cannot_be_edited_even_by_the_pilot_team(client_for, objects, carol):
    challenge = objects["challenge"]
    challenge.closed_at = timezone.now()
    challenge.save(update_fields=["closed_at"])
    before = snapshot(*STATE)
    response = client_for(carol).post(
        object_url(objects, "gamification:challenge_edit", "challenge"),
        challenge_data(objects, title="Changé après coup"),
    )
    assert response["Location"] == object_url(objects, "gamification:challenge", "challenge")
    assert snapshot(*STATE) == before
