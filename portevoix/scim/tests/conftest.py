"""A provider's view of the API: a token and a client that speaks SCIM's JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from portevoix.scim.tokens import scim_token_create

BASE = "/scim/v2"
CONTENT_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass
class Answer:
    status: int
    body: Any
    headers: Any


class Provider:
    """Requests as an identity provider sends them, with its bearer token."""

    def __init__(self, client: Client, token: str) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> Answer:
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}
        data = (
            body if isinstance(body, str | bytes) else json.dumps(body) if body is not None else ""
        )
        response = self.client.generic(
            method, BASE + path, data=data, content_type=CONTENT_TYPE, headers=headers
        )
        content = response.content.decode()
        return Answer(response.status_code, json.loads(content) if content else None, response)

    def get(self, path: str, **kw: Any) -> Answer:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Answer:
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Answer:
        return self.call("PUT", path, body, **kw)

    def patch(self, path: str, operations: list[dict], **kw: Any) -> Answer:
        return self.call("PATCH", path, {"schemas": [PATCH_SCHEMA], "Operations": operations}, **kw)

    def delete(self, path: str, **kw: Any) -> Answer:
        return self.call("DELETE", path, **kw)


@pytest.fixture
def scim_token(carol) -> str:
    _token, plain = scim_token_create(name="Entra ID", created_by=carol)
    return plain


@pytest.fixture
def provider(scim_token) -> Provider:
    return Provider(Client(), scim_token)


def entra_user(user_name: str = "jane.doe@example.com", **extra: Any) -> dict:
    """A user as Microsoft Entra ID creates it (its default attribute mapping)."""
    return {
        "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "jdoe",
        "userName": user_name,
        "active": True,
        "displayName": "Jane Doe",
        "title": "Sales manager",
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "name": {"formatted": "Jane Doe", "familyName": "Doe", "givenName": "Jane"},
        "preferredLanguage": "fr-FR",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "department": "Sales",
        },
        **extra,
    }


def okta_user(user_name: str = "john.roe@example.com", **extra: Any) -> dict:
    """A user as Okta creates it."""
    return {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "John", "familyName": "Roe"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": "John Roe",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
        **extra,
    }


def assert_scim_error(answer: Answer, status: int, scim_type: str | None = None) -> None:
    assert answer.status == status, (answer.status, answer.body)
    assert answer.headers["Content-Type"].startswith(CONTENT_TYPE)
    assert answer.body["schemas"] == [ERROR_SCHEMA]
    assert answer.body["status"] == str(status)
    assert answer.body.get("detail")
    if scim_type is not None:
        assert answer.body.get("scimType") == scim_type
