"""The role matrix every app's `test_roles.py` walks: who is let in, and what a refusal looks like.

Six visitors: anonymous, erin (employee who has not opted in), dave (alumni), alice
(ambassador), bob (editor), carol (admin). A page names who may open it; everybody else is
refused — a visitor who is not logged in is sent to the log-in page, a logged-in person gets a
403 — and a refused POST leaves the database exactly as it was.
"""

from __future__ import annotations

from django.db.models import Model
from django.test import Client
from django.urls import reverse

WHO = ("anonymous", "erin", "dave", "alice", "bob", "carol")
LOGGED_IN = frozenset(WHO) - {"anonymous"}
PILOT = frozenset({"bob", "carol"})
ADMIN = frozenset({"carol"})


def client_as(request, who: str) -> Client:
    """The test client, logged in as `who` (a fixture name), or not logged in."""
    client = request.getfixturevalue("client")
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def assert_refused(response, who: str) -> None:
    if who == "anonymous":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403, response.status_code


def snapshot(*models: type[Model]) -> dict[str, list[dict]]:
    """Every row of these models, to compare before and after a refused request."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


def object_url(objects: dict, name: str, targets: str | tuple | None) -> str:
    """The URL `name` for a test's objects. `targets`: None (no argument), a key of `objects`
    (its pk), or a tuple of keys and literal arguments."""
    if targets is None:
        args = []
    elif isinstance(targets, str):
        args = [objects[targets].pk]
    else:
        args = [objects[a].pk if a in objects else a for a in targets]
    return reverse(name, args=args)


def refused_cases(actions) -> list[tuple]:
    """(who, name, target, data) for each action — (name, target, allowed, data, …) — and each
    visitor it is not open to."""
    return [
        (who, name, target, data)
        for name, target, allowed, data, *_rest in actions
        for who in WHO
        if who not in allowed
    ]


def allowed_cases(actions) -> list[tuple]:
    """(who, name, target, data, …) for each action and each visitor it is open to."""
    return [
        (who, name, target, data, *rest)
        for name, target, allowed, data, *rest in actions
        for who in sorted(allowed)
    ]


def assert_page_for(response, who: str, allowed) -> None:
    """The page opened for `who` if they are among `allowed`, else was refused."""
    if who in allowed:
        assert response.status_code == 200, response.status_code
    else:
        assert_refused(response, who)


def assert_post_refused(client: Client, who: str, url: str, data, state) -> None:
    """A POST from `who` is refused and leaves the rows of `state` as they were."""
    before = snapshot(*state)
    assert_refused(client.post(url, data), who)
    assert snapshot(*state) == before


def assert_post_done(client: Client, url: str, data, state, status: int = 302) -> None:
    """A POST answers `status` and changes something among the rows of `state`."""
    before = snapshot(*state)
    assert client.post(url, data).status_code == status
    assert snapshot(*state) != before
