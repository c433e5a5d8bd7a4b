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
    ("GET", "/api/v1/shares", PILOT, "read", None),
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


def _expected(who: str, scope: str, roles: frozenset, needed: str) -> tuple[int, str]:
    if who == "anonymous":
        return 401, "unauthenticated"
    # the scope is checked first: a token too weak is refused whoever holds it
    if RANK[scope] < RANK[needed]:
        return 403, "insufficient-scope"
    if who not in roles:
        return 403, "forbidden"
    return 200, ""


@pytest.mark.parametrize("who", WHO)
def test_role_and_scope_decide(db, request, api_as, who):
    """Every endpoint, with a token of each scope: exactly what the role and scope allow, and
    a refusal changes nothing. One person per test, every case inside (people are slow)."""
    person = None if who == "anonymous" else request.getfixturevalue(who)
    wrong = []
    for scope in ("read", "write", "admin") if person else ("read",):
        api = api_as(person, scope)
        for method, path, roles, needed, body in ENDPOINTS:
            post = Post.objects.create(title="Existant")
            other = Person.objects.create_user(
                email=f"gina{post.pk}@example.com", full_name="Gina", role="ambassador"
            )
            url = path.format(post=post.pk, person=other.pk)
            before = snapshot(Post, Person, Invitation)
            response = api.get(url) if method == "GET" else api.send(method, url, body)
            status, kind = _expected(who, scope, roles, needed)
            if status == 200:
                ok = response.status_code in (200, 201)
            else:
                ok = (
                    response.status_code == status
                    and response.json()["type"].endswith(kind)
                    and snapshot(Post, Person, Invitation) == before
                )
            if not ok:
                wrong.append((scope, method, url, response.status_code, response.content[:200]))
    assert wrong == []


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
