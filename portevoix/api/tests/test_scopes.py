"""Entity scopes and four-eyes approval through the API: the same selectors and services as the
pages, so a scoped editor gets 404 for Lyon's objects, Paris's otherwise, and an author cannot
approve their own post."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portevoix.accounts.tests.scoped_world import World, scoped_world
from portevoix.content.models import Post, PostStatus
from portevoix.content.review import approval_set
from portevoix.content.tests.factories import make_post
from portevoix.content.workflow import post_submit
from portevoix.core.tests.roles import snapshot


@pytest.fixture
def world(bob) -> World:
    return scoped_world(bob)


def _period() -> str:
    today = timezone.localdate()
    return f"start={(today - timedelta(days=7)).isoformat()}&end={today.isoformat()}"


OUTSIDE = [
    ("get", "/api/v1/posts/{post_out}"),
    ("patch", "/api/v1/posts/{post_out}"),
    ("post", "/api/v1/posts/{post_out}/submit"),
    ("post", "/api/v1/posts/{post_out}/publish"),
    ("post", "/api/v1/posts/{post_out}/archive"),
    ("post", "/api/v1/posts/{post_out}/return"),
    ("get", "/api/v1/analytics/figures?group={lyon}"),
    ("get", "/api/v1/analytics/figures?ambassador={leo}"),
    ("get", "/api/v1/analytics/figures?post={post_out}"),
    ("get", "/api/v1/leaderboard?group={lyon}"),
    ("get", "/api/v1/challenges/{challenge_out}"),
    ("post", "/api/v1/veille/items/{item_out}/dismiss"),
    ("post", "/api/v1/veille/items/{item_out}/restore"),
    ("post", "/api/v1/veille/items/{item_out}/draft"),
]
INSIDE = [
    ("get", "/api/v1/posts/{post_in}", 200),
    ("get", "/api/v1/analytics/figures?group={paris}", 200),
    ("get", "/api/v1/analytics/figures?ambassador={paula}", 200),
    ("get", "/api/v1/leaderboard?group={paris}", 200),
    ("get", "/api/v1/challenges/{challenge_in}", 200),
    ("post", "/api/v1/veille/items/{item_in}/dismiss", 200),
    ("post", "/api/v1/veille/items/{item_in}/draft", 201),
]


def _path(template: str, world: World) -> str:
    return template.format(**{key: value.pk for key, value in world.objects.items()})


@pytest.mark.parametrize(("method", "template"), OUTSIDE)
def test_a_scoped_editor_gets_404_outside_the_scope(method, template, world, api_as):
    api = api_as(world.sam, "write")
    response = getattr(api, method)(_path(template, world))
    assert response.status_code == 404, response.content


@pytest.mark.parametrize(("method", "template", "status"), INSIDE)
def test_a_scoped_editor_is_served_inside_the_scope(method, template, status, world, api_as):
    api = api_as(world.sam, "write")
    response = getattr(api, method)(_path(template, world))
    assert response.status_code == status, response.content


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_lists_hold_the_scope_only(world, api_as):
    api = api_as(world.sam, "read")
    o = world.objects
    assert _ids(api.get("/api/v1/posts")) == {o["post_in"].pk}
    assert _ids(api.get("/api/v1/links")) == {o["link_in"].pk}
    assert {row["person"] for row in api.get("/api/v1/shares").json()["items"]} == {o["paula"].pk}
    assert _ids(api.get("/api/v1/veille/items?status=all")) == {o["item_in"].pk}
    assert _ids(api.get("/api/v1/challenges")) == {o["challenge_in"].pk}
    # The organisation-wide editor sees both sides.
    bob = api_as(world.bob, "read")
    assert _ids(bob.get("/api/v1/posts")) >= {o["post_in"].pk, o["post_out"].pk}
    assert _ids(bob.get("/api/v1/links")) == {o["link_in"].pk, o["link_out"].pk}


def test_a_scoped_editor_cannot_widen_an_audience(world, api_as):
    api = api_as(world.sam, "write")
    body = {"title": "Pour Lyon aussi", "url": "https://www.lumiere.example/x"}
    before = snapshot(Post)
    refused = api.post("/api/v1/posts", {**body, "target_groups": [world.lyon.pk]})
    assert refused.status_code == 422
    assert "Lyon" in refused.json()["errors"]["target_groups"][0]
    assert api.post("/api/v1/posts", body).status_code == 422  # no group: everybody
    post_in = world.objects["post_in"]
    widened = api.patch(f"/api/v1/posts/{post_in.pk}", {"target_groups": [world.lyon.pk]})
    assert widened.status_code == 422
    assert snapshot(Post) == before
    created = api.post("/api/v1/posts", {**body, "target_groups": [world.paris.pk]})
    assert created.status_code == 201
    assert created.json()["target_groups"] == [world.paris.pk]


def test_the_figures_of_a_scoped_editor_are_their_group_s(world, api_as):
    sam = api_as(world.sam, "read").get(f"/api/v1/analytics/figures?{_period()}").json()
    paris = (
        api_as(world.bob, "read")
        .get(f"/api/v1/analytics/figures?{_period()}&group={world.paris.pk}")
        .json()
    )
    everyone = api_as(world.bob, "read").get(f"/api/v1/analytics/figures?{_period()}").json()
    assert sam == paris
    shares = {f["slug"]: f["value"] for f in sam["figures"]}["shares"]
    assert shares == 1  # Paula's; Léo's share is Lyon's
    assert {f["slug"]: f["value"] for f in everyone["figures"]}["shares"] == 2
    assert date.fromisoformat(str(sam["end"])) == timezone.localdate()


def test_a_scoped_admin_manages_their_scope_s_people_only(world, api_as):
    api = api_as(world.sara, "admin")
    o = world.objects
    assert _ids(api.get("/api/v1/people")) == {o["paula"].pk}
    assert api.get(f"/api/v1/people/{o['leo'].pk}").status_code == 404
    assert api.patch(f"/api/v1/people/{o['leo'].pk}", {"full_name": "X"}).status_code == 404
    refused = api.patch(f"/api/v1/people/{o['paula'].pk}", {"scope_groups": []})
    assert refused.status_code == 403


def test_an_organisation_wide_admin_sets_a_scope(world, api_as, carol):
    api = api_as(carol, "admin")
    changed = api.patch(f"/api/v1/people/{world.bob.pk}", {"scope_groups": [world.lyon.pk]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["scope_groups"] == [world.lyon.pk]
    paula = world.objects["paula"]
    refused = api.patch(f"/api/v1/people/{paula.pk}", {"scope_groups": [world.paris.pk]})
    assert refused.status_code == 422  # an ambassador works within no scope
    assert list(paula.scope_groups.all()) == []


def test_the_api_enforces_four_eyes_approval(api_as, bob, carol):
    approval_set(required=True, by=carol)
    post = make_post(status=PostStatus.DRAFT, author=bob)
    post_submit(post=post, actor=bob)
    own = api_as(bob, "write").post(f"/api/v1/posts/{post.pk}/publish")
    assert own.status_code == 409
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    approved = api_as(carol, "write").post(f"/api/v1/posts/{post.pk}/publish", {"note": "OK"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "published"
    assert post.events.get(action="approved").note == "OK"


def test_a_draft_made_of_an_item_shows_only_to_those_whose_scope_holds_it(world, api_as):
    """Two editors see the same curation item; once one made it a post and aimed it at Lyon,
    the other's "draft it" answers without the post (nor its text)."""
    item = world.objects["item_in"]
    bob = api_as(world.bob, "write")
    drafted = bob.post(f"/api/v1/veille/items/{item.pk}/draft")
    assert drafted.status_code == 201
    post_id = drafted.json()["id"]
    assert bob.post(f"/api/v1/veille/items/{item.pk}/draft").json()["id"] == post_id  # theirs
    commentary = "Confidentiel Lyon"
    changed = bob.patch(
        f"/api/v1/posts/{post_id}", {"target_groups": [world.lyon.pk], "commentary": commentary}
    )
    assert changed.status_code == 200
    sam = api_as(world.sam, "write")
    assert sam.get(f"/api/v1/posts/{post_id}").status_code == 404
    before = snapshot()
    answer = sam.post(f"/api/v1/veille/items/{item.pk}/draft")
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("out-of-scope")
    assert commentary not in answer.text and str(post_id) not in answer.text
    assert snapshot() == before
