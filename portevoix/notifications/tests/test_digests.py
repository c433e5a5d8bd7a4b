from datetime import UTC, datetime, timedelta

import pytest

from conftest import make_person
from portevoix.accounts.models import Group
from portevoix.content.tests.factories import make_post
from portevoix.notifications.digests import digest_period, digests_send_due
from portevoix.notifications.models import DigestSent, NotificationSettings
from portevoix.sharing.shares import share_create

# Friday 27 November 2026, 08:30 in Paris.
NOW = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)


@pytest.fixture
def daily_alice(alice):
    alice.digest_frequency = "daily"
    alice.save()
    return alice


def test_the_digest_lists_new_posts_for_me_not_yet_shared(daily_alice, smtp_server):
    make_post(
        "Nouvelle usine à Lyon", published_at=NOW - timedelta(hours=3), commentary="Une belle étape"
    )
    shared = make_post("Déjà partagé", published_at=NOW - timedelta(hours=2))
    share_create(
        person=daily_alice, post=shared, network="linkedin", text="Fier #collaborateur", now=NOW
    )
    make_post("Trop ancien", published_at=NOW - timedelta(days=3))
    make_post(
        "Pour un autre groupe",
        published_at=NOW - timedelta(hours=1),
        groups=[Group.objects.create(name="Nantes")],
    )
    make_post("Pas encore publié", published_at=NOW + timedelta(hours=1))
    make_post(
        "Déjà expiré", published_at=NOW - timedelta(hours=4), expires_at=NOW - timedelta(minutes=1)
    )
    assert digests_send_due(now=NOW) == 1
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert "Nouvelle usine à Lyon" in text
    for absent in [
        "Déjà partagé",
        "Trop ancien",
        "Pour un autre groupe",
        "Pas encore publié",
        "Déjà expiré",
    ]:
        assert absent not in text
    assert "/share/" in text and message["List-Unsubscribe"]
    assert message["Subject"] == "Votre sélection à partager"


def test_nothing_is_sent_when_there_is_nothing_new(daily_alice, smtp_server):
    make_post("Trop ancien", published_at=NOW - timedelta(days=3))
    assert digests_send_due(now=NOW) == 0
    assert smtp_server.messages == []
    assert not DigestSent.objects.exists()


def test_never_twice_for_the_same_period(daily_alice, smtp_server):
    make_post(published_at=NOW - timedelta(hours=3))
    assert digests_send_due(now=NOW) == 1
    assert digests_send_due(now=NOW + timedelta(hours=5)) == 0
    assert len(smtp_server.messages) == 1
    assert digests_send_due(now=NOW + timedelta(days=1)) == 0  # that post is now too old
    make_post("Le lendemain", published_at=NOW + timedelta(hours=20))
    assert digests_send_due(now=NOW + timedelta(days=1)) == 1


def test_a_claimed_period_is_not_sent_again_after_a_crash(daily_alice, smtp_server):
    """A worker that claimed the period then died: the next run must not send it again."""
    make_post(published_at=NOW - timedelta(hours=3))
    DigestSent.objects.create(person=daily_alice, period="2026-11-27")
    assert digests_send_due(now=NOW) == 0
    assert smtp_server.messages == []


def test_the_hour_follows_each_persons_time_zone(charter, smtp_server):
    config = NotificationSettings.current()
    paris = make_person("paris@example.com", "Paris", "ambassador")
    montreal = make_person("mtl@example.com", "Montréal", "ambassador")
    for person, zone in [(paris, "Europe/Paris"), (montreal, "America/Montreal")]:
        person.digest_frequency, person.time_zone = "daily", zone
        person.save()
    assert digest_period(person=paris, now=NOW, config=config) == "2026-11-27"
    assert digest_period(person=montreal, now=NOW, config=config) is None  # 02:30 there
    later = NOW + timedelta(hours=6)  # 08:30 in Montréal
    assert digest_period(person=montreal, now=later, config=config) == "2026-11-27"


def test_weekly_digests_leave_on_the_chosen_day(alice):
    config = NotificationSettings.current()
    alice.digest_frequency = "weekly"
    config.weekly_digest_day = 4  # Friday
    assert digest_period(person=alice, now=NOW, config=config) == "2026-W48"
    config.weekly_digest_day = 0
    assert digest_period(person=alice, now=NOW, config=config) is None


def test_people_who_chose_no_digest_or_left_get_none(alice, erin, smtp_server):
    alice.digest_frequency = "none"
    alice.save()
    erin.digest_frequency = "daily"
    erin.save()
    make_post(published_at=NOW - timedelta(hours=3))
    assert digests_send_due(now=NOW) == 0


def test_an_address_refused_for_good_gets_one_try_and_the_others_their_digest(charter, smtp_server):
    people = [make_person(f"{name}@example.com", name.title(), "ambassador") for name in "abc"]
    for person in people:
        person.digest_frequency = "daily"
        person.save()
    smtp_server.refuse["a@example.com"] = "550 5.1.1 No such mailbox"
    make_post(published_at=NOW - timedelta(hours=3))
    assert digests_send_due(now=NOW) == 2
    assert sorted(m["To"] for m in smtp_server.messages) == ["b@example.com", "c@example.com"]
    assert digests_send_due(now=NOW + timedelta(minutes=15)) == 0
    assert smtp_server.recipients_tried.count("a@example.com") == 1


def test_a_passing_failure_releases_the_period_for_the_next_run(daily_alice, smtp_server):
    smtp_server.refuse[daily_alice.email] = "451 4.3.0 Try again later"
    make_post(published_at=NOW - timedelta(hours=3))
    with pytest.raises(Exception, match="451|Try again"):
        digests_send_due(now=NOW)
    assert not DigestSent.objects.exists()
    del smtp_server.refuse[daily_alice.email]
    assert digests_send_due(now=NOW + timedelta(minutes=15)) == 1


def test_the_digest_lists_posts_in_the_feeds_order_followed_topics_first(daily_alice):
    from portevoix.content.models import Topic
    from portevoix.notifications.digests import digest_posts

    emploi = Topic.objects.create(name="Emploi")

    def post(title, hours_ago, topics=(), priority=0):
        return make_post(
            title, published_at=NOW - timedelta(hours=hours_ago), topics=topics, priority=priority
        )

    post("urgent", 10, priority=1)
    post("récent", 1)
    post("emploi", 5, topics=[emploi])

    def titles():
        return [p.title for p in digest_posts(person=daily_alice, now=NOW)]

    assert titles() == ["urgent", "récent", "emploi"]
    daily_alice.topics.set([emploi])
    assert titles() == ["urgent", "emploi", "récent"]
