"""Each role and each token scope gets exactly what it should (core/tests/roles.py's people)."""

from __future__ import annotations

import pytest

from portevoix.accounts.models import Invitation, Person
from portevoix.content.models import Post
from portevoix.core.tests.roles import ADMIN, PILOT, WHO, snapshot
from portevoix.sharing.models import Share

EVERYONE = frozenset(WHO) - {"anonymous"}
# (method, path, roles allowed, scope needed, body)
ENDPOINTS = [
    ("GET", "/api/v1/me", EVERYONE, "read", None),
    ("GET", "/api/v1/me/shares", EVERYONE, "read", None),
    ("GET", "/api/v1/me/statistics", EVERYONE, "read", None),
    ("GET", "/api/v1/me/points", EVERYONE, "read", None),
    ("GET", "/api/v1/posts", PILOT, "read", None),
    ("GET", "/api/v1/posts/{post}", PILOT, "read", None),
    ("POST", "/api/v1/posts", PILOT, "write", {"title": "Nouveau"}),
    ("PATCH", "/api/v1/posts/{post}", PILOT, "write", {"title": "Changé"}),
    ("POST", "/api/v1/posts/{post}/submit", PILOT, "write", None),
    ("POST", "/api/v1/posts/{post}/archive", PILOT, "write", None),
    ("GET", "/api/v1/campaigns", PILOT, "read", None),
    ("GET", "/api/v1/topics", PILOT, "read", None),
    ("GET", "/api/v1/groups", PILOT, "read", None),
    ("GET", "/api/v1/analytics/figures", PILOT, "read", None),
    ("GET", "/api/v1/leaderboard", EVERYONE, "read", None),
    ("GET", "/api/v1/challenges", EVERYONE, "read", None),
    ("GET", "/api/v1/links", PILOT, "read", None),
    ("GET", "/api/v1/veille/items", PILOT, "read", None),
    ("GET", "/api/v1/people", ADMIN, "read", None),
    ("GET", "/api/v1/people/{person}", ADMIN, "read", None),
    (
        "POST",
        "/api/v1/people/invite",
        ADMIN,
        "admin",
        {"email": "zoe@example.com", "full_name": "Zoé"},
    ),
    ("PATCH", "/api/v1/people/{person}", ADMIN, "admin", {"role": "editor"}),
    ("POST", "/api/v1/people/{person}/deactivate", ADMIN, "admin", None),
    ("GET", "/api/v1/clicks?start=2025-12-01&end=2025-12-31", PILOT, "read", None),
]
RANK = {"read": 1, "write": 2, "admin": 3}
CASES = [
    (who, scope, method, path, roles, needed, body)
    for method, path, roles, needed, body in ENDPOINTS
    for who in WHO
    for scope in ("read", "write", "admin")
    if who != "anonymous" or scope == "read"
]


@pytest.mark.parametrize("who, scope, method, path, roles, needed, body", CASES)
def test_role_and_scope_decide(request, api_as, who, scope, method, path, roles, needed, body):
    post = Post.objects.create(title="Existant")
    other = Person.objects.create_user(
        email="gina@example.com", full_name="Gina", role="ambassador"
    )
    person = None if who == "anonymous" else request.getfixturevalue(who)
    api = api_as(person, scope)
    before = snapshot(Post, Person, Invitation)
    url = path.format(post=post.pk, person=other.pk)
    response = api.get(url) if method == "GET" else api.send(method, url, body)
    if who == "anonymous":
        assert response.status_code == 401
    elif who not in roles or RANK[scope] < RANK[needed]:
        assert response.status_code == 403, response.content
        # the scope is checked first: a token too weak is refused whoever holds it
        expected = "insufficient-scope" if RANK[scope] < RANK[needed] else "forbidden"
        assert response.json()["type"].endswith(expected)
    else:
        assert response.status_code in (200, 201), response.content
        return
    assert snapshot(Post, Person, Invitation) == before


def test_my_shares_are_mine_only(api_as, alice, bob):
    post = Post.objects.create(title="Partagé")
    mine = Share.objects.create(post=post, person=alice, network="linkedin")
    Share.objects.create(post=post, person=bob, network="x")
    items = api_as(alice, "read").get("/api/v1/me/shares").json()["items"]
    assert [s["id"] for s in items] == [mine.pk]


def test_a_post_that_does_not_exist_is_a_404_problem(api_as, bob):
    response = api_as(bob, "read").get("/api/v1/posts/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
