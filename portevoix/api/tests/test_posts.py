"""Posts through the API: the pages' rules and workflow, bad input refused with nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portevoix.content.compliance import compliance_update
from portevoix.content.models import Post, PostEvent, PostStatus, Topic
from portevoix.core.tests.roles import snapshot

POST = {
    "title": "Nous recrutons à Lyon",
    "url": "https://example.com/jobs/lyon",
    "messages": [{"network": "", "language": "fr", "text": "Rejoignez-nous à Lyon !"}],
}


def test_a_post_is_created_read_submitted_and_published(api_as, bob):
    api = api_as(bob, "write")
    topic = Topic.objects.create(name="Recrutement")
    created = api.post("/api/v1/posts", {**POST, "topics": [topic.pk]})
    assert created.status_code == 201, created.content
    post_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["topics"] == [topic.pk]
    read = api.get(f"/api/v1/posts/{post_id}")
    assert read.json()["messages"] == POST["messages"]
    assert api.post(f"/api/v1/posts/{post_id}/submit").json()["status"] == "in_review"
    published = api.post(f"/api/v1/posts/{post_id}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    post = Post.objects.get(pk=post_id)
    assert post.author == bob
    assert [e.action for e in PostEvent.objects.filter(post=post).order_by("at", "id")] == [
        "created",
        "submitted",
        "published",
    ]
    assert post.events.last().actor == bob


def test_a_change_keeps_what_it_does_not_name(api_as, bob):
    api = api_as(bob, "write")
    post_id = api.post("/api/v1/posts", POST).json()["id"]
    changed = api.patch(f"/api/v1/posts/{post_id}", {"title": "Nous recrutons à Nantes"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Nous recrutons à Nantes"
    assert changed.json()["url"] == POST["url"]
    assert changed.json()["messages"] == POST["messages"]


def test_the_compliance_rules_of_the_pages_hold(api_as, bob, carol):
    compliance_update(blocked_words=["confidentiel"], disclosure_tag="", by=carol)
    api = api_as(bob, "write")
    before = snapshot(Post)
    body = {**POST, "messages": [{"language": "fr", "text": "Un projet Confidentiél !"}]}
    response = api.post("/api/v1/posts", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "confidentiel" in response.json()["errors"]["messages.0.text"][0]
    assert snapshot(Post) == before


def test_a_step_the_workflow_does_not_allow_is_a_conflict(api_as, bob):
    api = api_as(bob, "write")
    post_id = api.post("/api/v1/posts", POST).json()["id"]
    api.post(f"/api/v1/posts/{post_id}/archive")
    response = api.post(f"/api/v1/posts/{post_id}/submit")
    assert response.status_code == 409
    assert Post.objects.get(pk=post_id).status == PostStatus.ARCHIVED
    back = api.post(f"/api/v1/posts/{post_id}/return", {"note": "À revoir"})
    assert back.status_code == 200 and back.json()["status"] == "draft"
    assert PostEvent.objects.filter(post_id=post_id, note="À revoir").exists()


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"title": 42, "url": "https://example.com/"}, 422, "title"),
        ({"title": "Bien", "colour": "rouge"}, 422, "colour"),
        ({"title": "Bien", "points": "beaucoup"}, 422, "points"),
        ({"url": "https://example.com/"}, 422, "title"),
        ({"title": "Bien", "url": "javascript:alert(1)"}, 422, "url"),
        ({"title": "Bien", "campaign": 999999}, 422, "campaign"),
        ({"title": "Bien", "kind": "poème"}, 422, "kind"),
        ({"title": "Bien", "priority": 7}, 422, "priority"),
        ([1, 2], 422, None),
        # At the ends of the calendar an offset takes the moment past what can be stored.
        ({"title": "Bien", "published_at": "9999-12-31T23:59:59-12:00"}, 422, "published_at"),
        ({"title": "Bien", "expires_at": "0001-01-01T00:00:00+14:00"}, 422, "expires_at"),
        ({"title": "Bien", "event_starts_at": "1850-06-01T10:00:00"}, 422, "event_starts_at"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(api_as, bob, body, status, field):
    api = api_as(bob, "write")
    before = snapshot(Post, PostEvent)
    response = api.post("/api/v1/posts", body)
    assert response.status_code == status, response.content
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["type"]
    if field:
        assert field in problem["errors"], problem
    assert snapshot(Post, PostEvent) == before


def test_malformed_json_and_huge_bodies_are_refused(api_as, bob):
    api = api_as(bob, "write")
    before = snapshot(Post)
    malformed = api.post("/api/v1/posts", raw=b'{"title": "Bien",')
    assert malformed.status_code == 400
    assert malformed.json()["detail"] == "The body is not valid JSON."
    surrogate = api.post("/api/v1/posts", raw=b'{"title": "\\ud800"}')
    assert surrogate.status_code == 400
    huge = api.post("/api/v1/posts", raw=b'{"title": "' + b"a" * (10 * 1024 * 1024) + b'"}')
    assert huge.status_code == 413
    assert huge["Content-Type"] == "application/problem+json"
    assert snapshot(Post) == before


def test_errors_speak_the_callers_language(api_as, bob):
    api = api_as(bob, "write", language="fr")
    response = api.post("/api/v1/posts", {"title": "Bien", "colour": "rouge"})
    assert response.json()["title"] == "Données refusées"
    assert response.json()["errors"]["colour"] == ["Champ inconnu."]


def test_filters_and_cursor_pages_walk_every_post_once(api_as, bob):
    api = api_as(bob, "write")
    ids = [api.post("/api/v1/posts", {**POST, "title": f"Post {i}"}).json()["id"] for i in range(5)]
    api.post(f"/api/v1/posts/{ids[0]}/archive")
    seen: list[int] = []
    cursor = None
    while True:
        page = api.get("/api/v1/posts", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        seen += [p["id"] for p in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(ids, reverse=True)
    archived = api.get("/api/v1/posts", {"status": "archived"}).json()["items"]
    assert [p["id"] for p in archived] == [ids[0]]
    assert api.get("/api/v1/posts", {"cursor": "n'importe quoi"}).status_code == 400
    assert api.get("/api/v1/posts", {"status": "perdu"}).status_code == 422
    assert api.get("/api/v1/posts", {"limit": 5000}).status_code == 422


def test_campaigns_are_made_and_changed_by_the_pages_form(api_as, bob, alice):
    from portevoix.content.models import Campaign

    api = api_as(bob, "write")
    made = api.post("/api/v1/campaigns", {"name": "Printemps des talents", "goal": "shares"})
    assert made.status_code == 201, made.content
    assert made.json()["utm_campaign"] == "printemps-des-talents"
    changed = api.patch(f"/api/v1/campaigns/{made.json()['id']}", {"goal_target": 50})
    assert changed.json()["goal_target"] == 50 and changed.json()["name"] == "Printemps des talents"
    before = snapshot(Campaign)
    refused = api.post("/api/v1/campaigns", {"name": "Autre", "utm_campaign": "Pas Un Slug"})
    assert refused.status_code == 422 and "utm_campaign" in refused.json()["errors"]
    assert api_as(alice, "write").post("/api/v1/campaigns", {"name": "X"}).status_code == 403
    assert snapshot(Campaign) == before


def test_a_moment_is_read_with_its_offset_or_in_the_organisation_s_time(api_as, bob):
    api = api_as(bob, "write")
    with_offset = api.post(
        "/api/v1/posts", {"title": "Bien", "event_starts_at": "2031-03-05T09:30:00-05:00"}
    )
    assert with_offset.status_code == 201, with_offset.content
    post = Post.objects.get(pk=with_offset.json()["id"])
    assert post.event_starts_at == datetime(2031, 3, 5, 14, 30, tzinfo=UTC)
    naive = api.post("/api/v1/posts", {"title": "Bien", "event_starts_at": "2031-03-05T09:30:00"})
    assert naive.status_code == 201, naive.content
    # Europe/Paris in March: one hour ahead of UTC.
    assert Post.objects.get(pk=naive.json()["id"]).event_starts_at == datetime(
        2031, 3, 5, 8, 30, tzinfo=UTC
    )
    patched = api.patch(f"/api/v1/posts/{post.pk}", {"expires_at": "9999-12-31T23:59:59-12:00"})
    assert patched.status_code == 422 and "expires_at" in patched.json()["errors"]
