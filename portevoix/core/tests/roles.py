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
