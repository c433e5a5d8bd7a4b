"""Four-eyes approval: with the admin's setting on, a post goes out only once an editor other
than its author approves it; the review shows what changed since the last approval; each step
is in the post's history and the audit log. With the setting off, publishing is as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from portevoix.content.errors import ContentError
from portevoix.content.models import Post, PostStatus
from portevoix.content.review import approval_required, approval_set, post_changes_since_approval
from portevoix.content.tests.factories import make_post, post_form_data
from portevoix.content.workflow import (
    post_publish,
    post_return_to_draft,
    post_submit,
    posts_publish_due,
)
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import WHO, assert_page_for, client_as

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def four_eyes(carol):
    approval_set(required=True, by=carol)


def steps(post: Post) -> list[tuple[str, str, str]]:
    return [(e.action, str(e.actor), e.note) for e in post.events.all()]


def test_with_the_setting_off_an_author_publishes_their_own_draft(bob):
    assert not approval_required()
    post = make_post(status=PostStatus.DRAFT, author=bob)
    post_publish(post=post, actor=bob, now=NOW)
    assert post.status == PostStatus.PUBLISHED
    assert [e.action for e in post.events.all()] == ["published"]


def test_a_second_editor_approves_and_it_is_recorded(four_eyes, bob, carol):
    post = make_post(status=PostStatus.DRAFT, author=bob)
    with pytest.raises(ContentError, match="envoyez la publication en relecture"):
        post_publish(post=post, actor=carol, now=NOW)
    post_submit(post=post, actor=bob)
    with pytest.raises(ContentError, match="un autre éditeur doit l’approuver"):
        post_publish(post=post, actor=bob, now=NOW)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    post_publish(post=post, actor=carol, now=NOW, note="Parfait")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at == NOW
    assert steps(post) == [
        ("submitted", "Bob Durand", ""),
        ("approved", "Carol Admin", "Parfait"),
        ("published", "Carol Admin", ""),
    ]
    approved = post.events.get(action="approved")
    assert approved.snapshot["title"] == post.title
    audit = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_name", "details"))
    assert ("post_approved", "Carol Admin", {"note": "Parfait"}) in audit
    assert ("post_published", "Carol Admin", {}) in audit


def test_an_approved_post_with_a_future_date_waits_for_the_scheduler(four_eyes, bob, carol):
    post = make_post(status=PostStatus.DRAFT, author=bob, published_at=NOW + timedelta(hours=1))
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    assert post.status == PostStatus.SCHEDULED
    assert posts_publish_due(now=NOW + timedelta(hours=1)) == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="post_scheduled").count() == 1


def test_sending_back_keeps_the_comment(four_eyes, bob, carol):
    post = make_post(status=PostStatus.DRAFT, author=bob)
    post_submit(post=post, actor=bob)
    post_return_to_draft(post=post, actor=carol, note="Ajoutez la date de l'événement")
    assert post.status == PostStatus.DRAFT
    assert steps(post)[-1] == ("returned", "Carol Admin", "Ajoutez la date de l'événement")
    entry = AuditEntry.objects.get(action="post_returned")
    assert entry.details == {"note": "Ajoutez la date de l'événement"}


def test_the_review_shows_what_changed_since_the_last_approval(four_eyes, bob, carol):
    post = make_post("Nos éoliennes", status=PostStatus.DRAFT, author=bob)
    names = [change.name for change in post_changes_since_approval(post)]
    assert names == ["title", "url", "audience"]  # never approved: all that is filled in
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    assert post_changes_since_approval(post) == []
    post_return_to_draft(post=post, actor=bob)
    post.title = "Nos éoliennes en mer du Nord"
    post.save()
    changes = post_changes_since_approval(post)
    assert [change.name for change in changes] == ["title"]
    assert changes[0].lines == ["-Nos éoliennes", "+Nos éoliennes en mer du Nord"]


def test_an_approved_live_post_keeps_what_was_approved(four_eyes, bob, carol, client_for):
    post = make_post(status=PostStatus.DRAFT, author=bob, title="Nos éoliennes en mer")
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    client = client_for(bob)
    url = reverse("content:post_edit", args=[post.pk])
    data = post_form_data(url=post.url, title="Un autre titre")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "renvoyez cette publication en brouillon" in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Nos éoliennes en mer" and post.messages.count() == 0
    # The details around the approved text may change.
    data = post_form_data(url=post.url, title=post.title, points="25")
    for key in [k for k in data if k.startswith("messages-")]:
        del data[key]
    data |= {"messages-TOTAL_FORMS": "0", "messages-INITIAL_FORMS": "0"}
    assert client.post(url, data).status_code == 302
    post.refresh_from_db()
    assert post.points == 25


def test_an_approved_live_post_keeps_its_approved_preview(four_eyes, bob, carol, client_for):
    """The card ambassadors see around the text (its title, description, image) is reviewed
    too: changed after approval, it would go out unreviewed."""
    post = make_post(status=PostStatus.DRAFT, author=bob, title="Nos éoliennes en mer")
    post.messages.all().delete()
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    url = reverse("content:post_edit", args=[post.pk])
    data = post_form_data(url=post.url, title=post.title, preview_title="Un autre aperçu")
    data |= {"messages-TOTAL_FORMS": "0", "messages-INITIAL_FORMS": "0"}
    response = client_for(bob).post(url, data)
    assert response.status_code == 200
    assert "son aperçu ou son image" in response.content.decode()
    post.refresh_from_db()
    assert post.preview_title == ""
    assert [c.name for c in post_changes_since_approval(post)] == []


def test_the_review_page_for_the_author_and_for_a_second_editor(four_eyes, bob, carol, client_for):
    post = make_post("Nos éoliennes", status=PostStatus.DRAFT, author=bob)
    post_submit(post=post, actor=bob)
    page = reverse("content:post_detail", args=[post.pk])
    publish = reverse("content:post_action", args=[post.pk, "publish"])
    as_bob = client_for(bob).get(page).content.decode()
    assert "un autre éditeur doit l’approuver" in as_bob
    assert publish not in as_bob
    # The server refuses the author even without the button.
    client_for(bob).post(publish, {"note": "moi-même"})
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    as_carol = client_for(carol).get(page).content.decode()
    assert publish in as_carol and "Approuver et publier" in as_carol
    assert "<ins>+Nos éoliennes</ins>" in as_carol
    assert client_for(carol).post(publish, {"note": "Validé"}).status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert post.events.get(action="approved").note == "Validé"


def test_the_approval_setting_per_role(request, db):
    url = reverse("content:approval")
    for who in WHO:
        allowed = {"carol"}
        response = client_as(request, who).get(url)
        assert_page_for(response, who, allowed)
        client_as(request, who).post(url, {"approval_required": "on"})
        assert approval_required() is (who == "carol")
        request.getfixturevalue("client").logout()


def test_the_admin_turns_it_on_and_off_in_the_audit_log(carol, client_for):
    client = client_for(carol)
    assert client.post(reverse("content:approval"), {"approval_required": "on"}).status_code == 302
    assert approval_required()
    client.post(reverse("content:approval"), {})
    assert not approval_required()
    entries = AuditEntry.objects.filter(action="approval_setting_changed").order_by("pk")
    assert [e.details for e in entries] == [
        {"before": "False", "after": "True"},
        {"before": "True", "after": "False"},
    ]


def test_an_editor_who_changed_a_post_in_review_does_not_approve_it(
    four_eyes, bob, carol, client_for
):
    """Rewriting a colleague's post while it is in review makes it partly yours: a third
    person approves it, or nobody but the rewriter would have read what goes out."""
    post = make_post("Nos éoliennes", status=PostStatus.DRAFT, author=bob)
    post_submit(post=post, actor=bob)
    client = client_for(carol)
    edit = reverse("content:post_edit", args=[post.pk])
    data = post_form_data(title="Tout autre chose", url="https://other.example/page")
    assert client.post(edit, data).status_code == 302
    with pytest.raises(ContentError, match="depuis sa dernière approbation"):
        post_publish(post=post, actor=carol, now=NOW)
    client.post(reverse("content:post_action", args=[post.pk, "publish"]), {"note": "ok"})
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert not post.events.filter(action="approved").exists()
    dora = make_person("dora@example.com", "Dora Relectrice", "editor")
    post_publish(post=post, actor=dora, now=NOW)
    assert post.status == PostStatus.PUBLISHED


def test_who_submits_a_post_whose_author_is_gone_does_not_approve_it(four_eyes, bob, carol):
    post = make_post("Orphan", status=PostStatus.DRAFT, author=None)
    post_submit(post=post, actor=bob)
    with pytest.raises(ContentError, match="depuis sa dernière approbation"):
        post_publish(post=post, actor=bob, now=NOW)
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    post_publish(post=post, actor=carol, now=NOW)
    assert post.status == PostStatus.PUBLISHED


def test_only_hands_since_the_last_approval_count(four_eyes, bob, carol):
    """Bob submitted once and Carol approved; sent back and resubmitted by a third editor,
    the post may be approved by Bob: his earlier submission was reviewed already."""
    dora = make_person("dora@example.com", "Dora Relectrice", "editor")
    post = make_post(status=PostStatus.DRAFT, author=None)
    post_submit(post=post, actor=bob)
    post_publish(post=post, actor=carol, now=NOW)
    post_return_to_draft(post=post, actor=carol, note="À revoir")
    post_submit(post=post, actor=dora)
    with pytest.raises(ContentError, match="depuis sa dernière approbation"):
        post_publish(post=post, actor=dora, now=NOW)
    post_publish(post=post, actor=bob, now=NOW)
    assert post.status == PostStatus.PUBLISHED
