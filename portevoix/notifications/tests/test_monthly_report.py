from datetime import UTC, datetime, timedelta

from portevoix.content.tests.factories import make_post
from portevoix.gamification.points import points_award
from portevoix.notifications.reports import monthly_reports_send_due, previous_month
from portevoix.sharing.models import Share
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.rollups import Attribution, ClassifiedClick, rollups_add

# 1 December 2026, 09:00 in Paris: time for November's report.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
IN_NOVEMBER = datetime(2026, 11, 15, 10, 0, tzinfo=UTC)


def november_activity(person):
    post = make_post(published_at=IN_NOVEMBER - timedelta(days=1))
    link = tracked_link_for(post=post, ambassador=person, network="linkedin")
    Share.objects.create(
        post=post, person=person, network="linkedin", tracked_link=link, created_at=IN_NOVEMBER
    )
    attribution = Attribution(link.pk, post.pk, person.pk, "linkedin", None, ())
    rollups_add(
        clicks=[
            ClassifiedClick(f"c{i}", IN_NOVEMBER.timestamp() + i, kind, f"v{i}", attribution)
            for i, kind in enumerate([0, 0, 0, 3, 1])  # three verified, a bot, a repeat
        ]
    )
    points_award(person=person, action="share", source=f"link:{link.pk}", at=IN_NOVEMBER)


def test_previous_month_across_a_year():
    assert previous_month(datetime(2027, 1, 2).date()) == (
        datetime(2026, 12, 1).date(),
        datetime(2027, 1, 1).date(),
    )


def test_the_report_tells_last_months_figures_once(alice, bob, smtp_server):
    november_activity(alice)
    assert monthly_reports_send_due(now=NOW) == 1  # bob did nothing: nothing sent to him
    assert monthly_reports_send_due(now=NOW + timedelta(hours=2)) == 0
    [message] = smtp_server.messages
    assert message["To"] == alice.email
    assert message["Subject"] == "Ce qu'ont apporté vos partages en novembre 2026"
    text = message.get_body(("plain",)).get_content()
    assert "Partages : 1" in text
    assert "Clics vérifiés (de vraies personnes, comptées une fois par jour) : 3" in text
    assert "Points : 10" in text
    assert message["List-Unsubscribe"]


def test_no_report_before_the_hour_nor_for_those_who_declined(alice, smtp_server):
    november_activity(alice)
    assert monthly_reports_send_due(now=NOW - timedelta(hours=2)) == 0  # 07:00 in Paris
    alice.notify_monthly_report = False
    alice.save()
    assert monthly_reports_send_due(now=NOW) == 0
    assert smtp_server.messages == []


def test_the_report_draws_the_month_with_its_text_equivalent(alice, smtp_server):
    november_activity(alice)
    assert monthly_reports_send_due(now=NOW) == 1
    [message] = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    # The dashboard's SVG, inline: a title and a description screen readers read.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<title>Clics vérifiés par jour</title>" in html
    assert html.count("<circle") == 30  # one point per day of November
    # Only the 15th had verified clicks (three); the same sentence in both parts.
    equivalent = "Clics vérifiés par jour : 15 novembre: 3."
    assert equivalent in text
    assert equivalent in html


def test_a_report_refused_for_good_is_tried_once_and_others_still_get_theirs(
    alice, bob, smtp_server
):
    november_activity(alice)
    november_activity(bob)
    smtp_server.refuse[alice.email] = "550 5.1.1 No such mailbox"
    assert monthly_reports_send_due(now=NOW) == 1
    assert [m["To"] for m in smtp_server.messages] == [bob.email]
    assert monthly_reports_send_due(now=NOW + timedelta(hours=1)) == 0
    assert smtp_server.recipients_tried.count(alice.email) == 1
