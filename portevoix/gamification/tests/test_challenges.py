from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.accounts.tests.scoped_world import scoped_world
from portevoix.content.models import Campaign
from portevoix.content.tests.factories import make_post
from portevoix.gamification.challenges import (
    challenge_close,
    challenge_standings,
    challenges_close_due,
)
from portevoix.gamification.forms import SHOWN_POSTS
from portevoix.gamification.models import Challenge, ChallengeResult
from portevoix.notifications.models import Notification
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Click, ClickKind

# The challenge ends at midnight, Paris time, on 1 December 2026 (23:00 UTC the day before).
START = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="Talents", utm_campaign="talents")


@pytest.fixture
def people(charter):
    return {
        name: make_person(f"{name}@example.com", name.title(), "ambassador")
        for name in ["ana", "ben", "cleo"]
    }


def challenge(campaign, **fields):
    values = {
        "title": "Défi talents",
        "starts_at": START,
        "ends_at": END,
        "metric": "shares",
        "campaign": campaign,
    }
    return Challenge.objects.create(**{**values, **fields})


def share(person, post, network, at):
    link = tracked_link_for(post=post, ambassador=person, network=network)
    return Share.objects.create(
        post=post, person=person, network=network, tracked_link=link, created_at=at
    )


def verified_click(person, post, at, n=[0]):  # noqa: B006 - a counter for unique click ids
    n[0] += 1
    link = tracked_link_for(post=post, ambassador=person, network="linkedin")
    return Click.objects.create(
        click_id=f"c{n[0]}",
        link=link,
        at=at,
        kind=ClickKind.VERIFIED,
        visitor="v",
        device="desktop",
    )


def test_shares_count_distinct_post_and_network_in_the_window_and_scope(campaign, people):
    in_scope = make_post(campaign=campaign)
    other = make_post("Hors défi")
    day = START + timedelta(days=3)
    share(people["ana"], in_scope, "linkedin", day)
    share(people["ana"], in_scope, "linkedin", day + timedelta(hours=1))  # the same again: one
    share(people["ana"], in_scope, "x", day)
    share(people["ben"], in_scope, "linkedin", day)
    share(people["ben"], other, "linkedin", day)  # out of scope
    share(people["cleo"], in_scope, "linkedin", START - timedelta(minutes=1))  # before the start
    standings = challenge_standings(challenge=challenge(campaign), now=END)
    assert [(s.rank, s.name, s.value) for s in standings] == [(1, "Ana", 2), (2, "Ben", 1)]


def test_the_close_counts_up_to_the_end_instant_only(campaign, people):
    post = make_post(campaign=campaign)
    the_challenge = challenge(campaign, metric="verified_clicks")
    verified_click(people["ana"], post, END - timedelta(seconds=1))  # 23:59:59 in Paris: counts
    verified_click(people["ben"], post, END)  # midnight in Paris: too late
    verified_click(people["ben"], post, END + timedelta(minutes=5))
    assert not challenge_close(challenge=the_challenge, now=END - timedelta(seconds=1))
    assert challenge_close(challenge=the_challenge, now=END + timedelta(minutes=10))
    results = list(
        ChallengeResult.objects.filter(challenge=the_challenge).values_list(
            "name", "value", "winner"
        )
    )
    assert results == [("Ana", 1, True)]


def test_ties_go_to_whoever_reached_the_value_first(campaign, people):
    post = make_post(campaign=campaign)
    share(people["ben"], post, "linkedin", START + timedelta(days=1))
    share(people["ana"], post, "linkedin", START + timedelta(days=2))
    standings = challenge_standings(challenge=challenge(campaign), now=END)
    assert [(s.rank, s.name, s.winner) for s in standings] == [(1, "Ben", True), (2, "Ana", False)]


def test_the_minimum_threshold_decides_whether_anyone_wins(campaign, people):
    post = make_post(campaign=campaign)
    share(people["ana"], post, "linkedin", START + timedelta(days=1))
    standings = challenge_standings(challenge=challenge(campaign, min_threshold=3), now=END)
    assert [(s.name, s.winner) for s in standings] == [("Ana", False)]


def test_people_who_opt_out_leave_and_hidden_people_are_not_listed(client_for, campaign, people):
    post = make_post(campaign=campaign)
    for name in people:
        share(people[name], post, "linkedin", START + timedelta(days=1))
    people["ana"].opted_in_at = None
    people["ana"].save()
    people["ben"].hide_from_rankings = True
    people["ben"].save()
    the_challenge = challenge(campaign)
    assert [s.name for s in challenge_standings(challenge=the_challenge, now=END)] == ["Cleo"]
    page = (
        client_for(people["ben"])
        .get(reverse("gamification:challenge", args=[the_challenge.pk]))
        .content.decode()
    )
    assert "Ben" not in page.split("Classement en direct")[1]
    assert "Vous : 1" in page


def test_team_mode_adds_up_group_members(campaign, people):
    north, south = Group.objects.create(name="Nord"), Group.objects.create(name="Sud")
    people["ana"].groups.add(north)
    people["ben"].groups.add(north)
    people["cleo"].groups.add(south)
    post = make_post(campaign=campaign)
    for name in people:
        share(people[name], post, "linkedin", START + timedelta(days=1))
    share(people["cleo"], post, "x", START + timedelta(days=2))
    the_challenge = challenge(campaign, mode="team")
    the_challenge.teams.set([north, south])
    standings = challenge_standings(challenge=the_challenge, now=END)
    # A tie at 2: Nord reached it first (day 1), Sud on day 2.
    assert [(s.name, s.value, s.winner) for s in standings] == [
        ("Nord", 2, True),
        ("Sud", 2, False),
    ]


def test_results_are_final_and_announced_once(campaign, people, django_capture_on_commit_callbacks):
    post = make_post(campaign=campaign)
    share(people["ana"], post, "linkedin", START + timedelta(days=1))
    the_challenge = challenge(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        assert challenges_close_due(now=END + timedelta(minutes=1)) == 1
        assert challenges_close_due(now=END + timedelta(minutes=2)) == 0
    share(
        people["ben"], post, "linkedin", END - timedelta(hours=1)
    )  # arrives late: changes nothing
    assert list(the_challenge.results.values_list("name", flat=True)) == ["Ana"]
    notice = Notification.objects.get(person=people["ana"], kind="challenge")
    assert "Ana" in notice.body


def test_editors_create_challenges_and_ambassadors_cannot(client_for, bob, alice, campaign):
    data = {
        "title": "Défi de décembre",
        "starts_at": "2026-12-01T00:00",
        "ends_at": "2026-12-31T23:59",
        "metric": "verified_clicks",
        "campaign": campaign.pk,
        "mode": "individual",
        "min_threshold": "5",
        "winners_count": "3",
        "reward": "Un déjeuner avec l'équipe",
    }
    assert client_for(alice).post(reverse("gamification:challenge_create"), data).status_code == 403
    assert not Challenge.objects.exists()
    response = client_for(bob).post(reverse("gamification:challenge_create"), data)
    assert response.status_code == 302
    assert Challenge.objects.get().winners_count == 3


def challenge_form(campaign, *, title: str, reward: str) -> dict:
    """The challenge form's fields for an individual challenge on shares in December."""
    return {
        "title": title,
        "starts_at": "2026-12-01T00:00",
        "ends_at": "2026-12-31T23:59",
        "metric": "shares",
        "campaign": campaign.pk,
        "mode": "individual",
        "min_threshold": "1",
        "winners_count": "1",
        "reward": reward,
    }


@pytest.mark.parametrize(
    "change",
    [
        {"ends_at": "2026-11-30T00:00"},
        {"campaign": ""},
        {"mode": "team"},
        {"metric": "likes"},
        {"winners_count": "0"},
        {"starts_at": "pas une date"},
        {"starts_at": "0001-01-01T00:00"},
        {"ends_at": "9999-12-31T23:59"},
    ],
)
def test_bad_challenges_are_refused(client_for, bob, campaign, change):
    data = challenge_form(campaign, title="Défi", reward="")
    response = client_for(bob).post(reverse("gamification:challenge_create"), {**data, **change})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Challenge.objects.exists()


def test_a_date_outside_the_years_2000_to_9000_says_so(client_for, bob, campaign):
    data = challenge_form(campaign, title="Défi", reward="")
    data["starts_at"] = "0001-01-01T00:00"
    response = client_for(bob).post(reverse("gamification:challenge_create"), data)
    assert response.context["form"].errors["starts_at"] == [
        "Saisissez une date entre les années 2000 et 9000."
    ]
    assert not Challenge.objects.exists()


def test_the_demo_has_a_running_and_a_closed_challenge_and_points(db):
    from django.core.management import call_command

    from portevoix.gamification.models import PointEntry

    call_command("demo")
    now = datetime.now(UTC)
    challenges = list(Challenge.objects.all())
    assert any(c.is_running(now) for c in challenges)
    assert any(c.closed_at is not None and c.results.exists() for c in challenges)
    assert PointEntry.objects.filter(action="verified_click").exists()
    assert PointEntry.objects.filter(action="share").exists()


def test_the_start_is_announced_once_to_the_people_concerned(campaign, people, erin):
    from portevoix.gamification.challenges import challenges_announce_started

    north = Group.objects.create(name="Nord")
    people["ana"].groups.add(north)
    the_challenge = challenge(campaign, mode="team")
    the_challenge.teams.set([north, Group.objects.create(name="Sud")])
    assert challenges_announce_started(now=START - timedelta(minutes=1)) == 0
    assert challenges_announce_started(now=START + timedelta(minutes=1)) == 1
    assert challenges_announce_started(now=START + timedelta(minutes=2)) == 0
    told = set(
        Notification.objects.filter(kind="challenge").values_list("person__email", flat=True)
    )
    assert told == {"ana@example.com"}


def test_a_title_pasted_with_line_breaks_is_saved_on_one_line(client_for, bob, campaign):
    data = challenge_form(
        campaign, title="Défi\r\nde décembre\r\n", reward="Un déjeuner\navec l'équipe"
    )
    response = client_for(bob).post(reverse("gamification:challenge_create"), data)
    assert response.status_code == 302
    saved = Challenge.objects.get()
    assert (saved.title, saved.reward) == ("Défi de décembre", "Un déjeuner avec l'équipe")


def test_a_challenge_whose_title_has_line_breaks_still_sends_its_emails(
    campaign, people, mailoutbox, django_capture_on_commit_callbacks
):
    """A title saved before titles were made one line: the e-mails go out all the same."""
    from portevoix.gamification.challenges import challenges_announce_started

    challenge(campaign, title="Défi\r\ntalents")
    with django_capture_on_commit_callbacks(execute=True):
        assert challenges_announce_started(now=START + timedelta(minutes=1)) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people.values())
    assert {m.subject for m in mailoutbox} == {"Un challenge commence : Défi talents"}


def test_the_start_announcement_says_in_which_time_zone_the_end_is(campaign, people):
    """A reader in another country must not take the organisation's 23:59 for their own."""
    from portevoix.gamification.challenges import challenges_announce_started

    challenge(campaign)
    assert challenges_announce_started(now=START + timedelta(minutes=1)) == 1
    bodies = {n.person.language: n.body for n in Notification.objects.filter(kind="challenge")}
    expected = {"fr": "2026-12-01 00:00 (heure de Paris)", "en": "2026-12-01 00:00 (Paris time)"}
    for language, body in bodies.items():
        assert expected[language] in body


def posts_form(post_ids: list[int], *, title: str) -> dict:
    """The challenge form's fields for an individual challenge on chosen posts."""
    return {
        "title": title,
        "starts_at": "2026-12-01T00:00",
        "ends_at": "2026-12-31T23:59",
        "metric": "shares",
        "posts": post_ids,
        "mode": "individual",
        "min_threshold": "1",
        "winners_count": "1",
        "reward": "",
    }


def test_a_scoped_editor_creates_a_challenge_on_posts_of_their_scope_only(client_for, bob):
    world = scoped_world(bob)
    post_in, post_out = world.objects["post_in"], world.objects["post_out"]
    client = client_for(world.sam)
    refused = client.post(
        reverse("gamification:challenge_create"), posts_form([post_out.pk], title="Lyon")
    )
    assert refused.status_code == 200 and "posts" in refused.context["form"].errors
    assert not Challenge.objects.filter(title="Lyon").exists()
    response = client.post(
        reverse("gamification:challenge_create"), posts_form([post_in.pk], title="Paris")
    )
    assert response.status_code == 302
    assert list(Challenge.objects.get(title="Paris").posts.all()) == [post_in]


def test_a_challenge_on_an_older_post_than_the_list_shows_is_saved_again(client_for, bob):
    world = scoped_world(bob)
    challenge = world.objects["challenge_in"]
    ids = list(challenge.posts.values_list("pk", flat=True))
    # As many newer posts as the list shows: the challenge's own are older than all of them.
    newer = [make_post(f"Plus récent {n}") for n in range(SHOWN_POSTS)]
    url = reverse("gamification:challenge_edit", args=[challenge.pk])
    page = client_for(bob).get(url)
    widget = page.context["form"].fields["posts"].widget
    shown = {int(str(value)) for value, _label in widget.choices}
    assert shown == {post.pk for post in newer} | set(ids)
    response = client_for(bob).post(url, posts_form(ids, title="Nouveau titre"))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Nouveau titre"
    assert sorted(challenge.posts.values_list("pk", flat=True)) == sorted(ids)
