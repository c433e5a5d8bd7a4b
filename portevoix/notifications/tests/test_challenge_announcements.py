"""Gamification says when a challenge starts or closes (signals); notifications announce it to
the people concerned and, for the results, to the channels that follow challenges."""

from datetime import UTC, datetime, timedelta

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.content.models import Campaign
from portevoix.content.tests.factories import make_post
from portevoix.gamification.challenges import challenge_close, challenges_announce_started
from portevoix.gamification.models import Challenge
from portevoix.gamification.signals import challenge_closed, challenge_started
from portevoix.notifications.models import Channel, ChannelDelivery, Notification
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def team_challenge(campaign, teams):
    challenge = Challenge.objects.create(
        title="Défi des sites",
        starts_at=START,
        ends_at=END,
        metric="shares",
        campaign=campaign,
        mode="team",
    )
    challenge.teams.set(teams)
    return challenge


def test_gamification_sends_its_signals_and_the_close_only_after_commit(
    charter, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, challenge, signal, **kwargs):
        heard.append((signal, challenge.pk))

    challenge_started.connect(listen)
    challenge_closed.connect(listen)
    try:
        challenge = team_challenge(Campaign.objects.create(name="Sites", utm_campaign="s"), [])
        assert challenges_announce_started(now=START + timedelta(minutes=1)) == 1
        assert heard == [(challenge_started, challenge.pk)]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert challenge_close(challenge=challenge, now=END + timedelta(minutes=1))
        assert heard == [(challenge_started, challenge.pk)]  # not before the commit
        for callback in callbacks:
            callback()
        assert heard[-1] == (challenge_closed, challenge.pk)
    finally:
        challenge_started.disconnect(listen)
        challenge_closed.disconnect(listen)


def test_the_close_tells_the_teams_members_and_the_channels_the_winners(
    charter, mailoutbox, django_capture_on_commit_callbacks
):
    north, south = Group.objects.create(name="Nord"), Group.objects.create(name="Sud")
    ana = make_person("ana@example.com", "Ana", "ambassador")
    ben = make_person("ben@example.com", "Ben", "ambassador")
    quiet = make_person("quiet@example.com", "Quiet", "ambassador")
    outside = make_person("outside@example.com", "Outside", "ambassador")
    quiet.notify_challenges = False
    quiet.save()
    ana.groups.add(north)
    ben.groups.add(south)
    quiet.groups.add(north)
    Channel.objects.create(kind="slack", name="#défis", webhook_url="https://hooks.example/a")
    Channel.objects.create(
        kind="slack", name="#news", webhook_url="https://hooks.example/b", announce_challenges=False
    )
    campaign = Campaign.objects.create(name="Sites", utm_campaign="sites")
    post = make_post(campaign=campaign)
    link = tracked_link_for(post=post, ambassador=ana, network="linkedin")
    Share.objects.create(
        post=post,
        person=ana,
        network="linkedin",
        tracked_link=link,
        created_at=START + timedelta(days=1),
    )
    challenge = team_challenge(campaign, [north, south])

    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_close(challenge=challenge, now=END + timedelta(minutes=1))

    told = Notification.objects.filter(kind="challenge")
    assert sorted(told.values_list("person__email", flat=True)) == [ana.email, ben.email]
    assert {(n.title, n.body) for n in told} == {
        ("Le challenge « Défi des sites » est terminé", "Gagnants : Nord.")
    }
    assert sorted(m.to[0] for m in mailoutbox) == [ana.email, ben.email]
    [delivery] = ChannelDelivery.objects.all()
    assert delivery.channel.name == "#défis" and delivery.text == "Gagnants : Nord."
    assert not Notification.objects.filter(person=outside).exists()
