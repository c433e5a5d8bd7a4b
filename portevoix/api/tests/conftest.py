"""Tokens for the named people, and a client that speaks JSON with one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from portevoix.api.tokens import api_token_create


class ApiClient:
    """The test client with a bearer token: `api.get("/api/v1/me")`."""

    def __init__(self, token: str | None, language: str = "en") -> None:
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, data: dict | None = None, **headers: str) -> Any:
        return self.client.get(path, data, headers={**self.headers, **headers})

    def send(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None) -> Any:
        content = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.generic(
            method, path, content, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("PATCH", path, body, **kwargs)


@pytest.fixture
def token_for():
    """`token_for(bob, "write")`: a fresh personal token's plain value."""

    def make(person, scope: str = "admin", **kwargs: Any) -> str:
        return api_token_create(
            person=person, name="tests", scope=scope, expires_at=None, **kwargs
        )[1]

    return make


@pytest.fixture
def api_as(token_for):
    """`api_as(bob, "write")`: an ApiClient with a fresh token of that person and scope."""

    def make(person, scope: str = "admin", language: str = "en") -> ApiClient:
        return ApiClient(token_for(person, scope) if person else None, language)

    return make
