"""The workflow: draft → in review → scheduled / published → expired / archived, with who did
what and when; scheduled posts go out, and expired ones leave, without anyone acting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.content.compliance import compliance_update
from portevoix.content.errors import ContentError
from portevoix.content.models import PostStatus
from portevoix.content.tasks import publish_and_expire_due_posts
from portevoix.content.tests.factories import make_post
from portevoix.content.workflow import (
    post_archive,
    post_publish,
    post_return_to_draft,
    post_submit,
    posts_expire_due,
    posts_publish_due,
)
from portevoix.core.audit import audit_verify
from portevoix.core.models import AuditEntry
from portevoix.sharing.selectors import visible_posts

NOW = timezone.now().replace(microsecond=0)


def history(post):
    return [(e.action, e.actor, e.from_status, e.to_status) for e in post.events.all()]


def test_draft_to_review_to_published_records_who_did_what(bob, carol):
    post = make_post(status=PostStatus.DRAFT)
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at == NOW
    assert history(post) == [
        ("submitted", bob, "draft", "in_review"),
        ("published", carol, "in_review", "published"),
    ]


def test_a_future_date_schedules_and_the_scheduler_publishes_at_that_minute(bob, alice):
    post = make_post(status=PostStatus.DRAFT, published_at=NOW + timedelta(minutes=10))
    post_publish(post=post, actor=bob, now=NOW)
    assert post.status == PostStatus.SCHEDULED
    assert posts_publish_due(now=NOW + timedelta(minutes=9, seconds=59)) == 0
    assert posts_publish_due(now=NOW + timedelta(minutes=10)) == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert history(post)[-1] == ("published", None, "scheduled", "published")
    assert posts_publish_due(now=NOW + timedelta(minutes=11)) == 0  # not twice
    entries = AuditEntry.objects.filter(target=str(post)).order_by("id")
    assert [(e.action, e.actor_name, e.details.get("through")) for e in entries] == [
        ("post_scheduled", str(bob), None),
        ("post_published", "system", "scheduler"),
    ]
    assert list(audit_verify()) == []


def test_the_scheduler_expires_live_posts_at_their_expiry(bob):
    live = make_post(expires_at=NOW)
    waiting = make_post(
        status=PostStatus.SCHEDULED, published_at=NOW + timedelta(hours=1), expires_at=NOW
    )
    later = make_post(expires_at=NOW + timedelta(seconds=1))
    assert posts_expire_due(now=NOW) == 2
    for post in (live, waiting, later):
        post.refresh_from_db()
    assert (live.status, waiting.status, later.status) == ("expired", "expired", "published")
    assert history(live)[-1] == ("expired", None, "published", "expired")
    expired = AuditEntry.objects.filter(action="post_expired").values_list("target", "actor_name")
    assert sorted(expired) == sorted([(str(live), "system"), (str(waiting), "system")])


def test_the_periodic_task_runs_both(alice):
    due = make_post(status=PostStatus.SCHEDULED, published_at=timezone.now() - timedelta(seconds=5))
    gone = make_post(expires_at=timezone.now() - timedelta(seconds=5))
    publish_and_expire_due_posts()
    due.refresh_from_db()
    gone.refresh_from_db()
    assert (due.status, gone.status) == ("published", "expired")
    assert due in visible_posts(person=alice) and gone not in visible_posts(person=alice)


def test_return_to_draft_and_archive(bob):
    post = make_post()
    post_return_to_draft(post=post, actor=bob, note="Coquille dans le titre")
    post_archive(post=post, actor=bob)
    assert post.status == "archived"
    assert [e.note for e in post.events.all()] == ["Coquille dans le titre", ""]


@pytest.mark.parametrize(
    "status,service",
    [
        ("published", post_submit),
        ("archived", post_submit),
        ("published", post_publish),
        ("archived", post_publish),
        ("draft", post_return_to_draft),
        ("archived", post_archive),
    ],
)
def test_impossible_moves_are_refused_and_change_nothing(bob, status, service):
    post = make_post(status=status)
    with pytest.raises(ContentError):
        service(post=post, actor=bob)
    post.refresh_from_db()
    assert post.status == status and not post.events.exists()


def test_publishing_needs_a_destination_a_sane_expiry_and_compliant_messages(bob, carol):
    compliance_update(blocked_words=["gratuit"], disclosure_tag="", by=carol)
    no_url = make_post(status="draft", url="")
    with pytest.raises(ContentError, match="URL"):
        post_publish(post=no_url, actor=bob)
    past_expiry = make_post(status="draft", expires_at=NOW - timedelta(days=1))
    with pytest.raises(ContentError):
        post_publish(post=past_expiry, actor=bob, now=NOW)
    bad_message = make_post(status="draft", messages=[("", "fr", "Tout est gratuit !")])
    with pytest.raises(ContentError, match="gratuit"):
        post_publish(post=bad_message, actor=bob)
    too_long = make_post(status="draft", messages=[("x", "fr", "a" * 300)])
    with pytest.raises(ContentError, match="280"):
        post_publish(post=too_long, actor=bob)
    for post in (no_url, past_expiry, bad_message, too_long):
        post.refresh_from_db()
        assert post.status == "draft"


def test_an_announcement_is_published_without_a_url(bob):
    post = make_post(status="draft", kind="announcement", url="")
    post_publish(post=post, actor=bob)
    assert post.status == "published"


@pytest.mark.parametrize("who", ["alice", "dave", "erin"])
def test_only_the_pilot_team_moves_posts(request, db, client_for, who):
    post = make_post(status="draft")
    response = client_for(request.getfixturevalue(who)).post(
        reverse("content:post_action", args=[post.pk, "publish"])
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == "draft"


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_the_pilot_team_publishes_from_the_post_page(request, client_for, who):
    person = request.getfixturevalue(who)
    post = make_post(status="draft", published_at=None)
    client = client_for(person)
    response = client.post(reverse("content:post_action", args=[post.pk, "publish"]))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "published"
    assert history(post)[-1][1] == person


def test_a_refused_move_says_why_on_the_page(client_for, bob):
    post = make_post(status="draft", url="")
    response = client_for(bob).post(
        reverse("content:post_action", args=[post.pk, "publish"]), follow=True
    )
    assert "URL" in response.content.decode()
    assert (
        client_for(bob).post(reverse("content:post_action", args=[post.pk, "fly"])).status_code
        == 302
    )
    post.refresh_from_db()
    assert post.status == "draft"
