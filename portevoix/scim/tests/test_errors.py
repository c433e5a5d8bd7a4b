"""Bad tokens, bad filters, bad bodies: each a SCIM error (RFC 7644 §3.12), nothing changed."""

import pytest

from portevoix.accounts.models import Group, Person
from portevoix.core.tests.roles import snapshot
from portevoix.scim.models import ScimGroup, ScimToken, ScimUser
from portevoix.scim.tests.conftest import (
    GROUP_SCHEMA,
    PATCH_SCHEMA,
    USER_SCHEMA,
    assert_scim_error,
    entra_user,
)
from portevoix.scim.tokens import scim_token_revoke

STATE = (Person, ScimUser, Group, ScimGroup)


@pytest.mark.parametrize("token", ["", "pvx_scim_wrong", "x" * 500])
def test_a_bad_token_is_a_401_and_changes_nothing(provider, token):
    before = snapshot(*STATE)
    for answer in (
        provider.get("/Users", token=token),
        provider.post("/Users", entra_user(), token=token),
        provider.get("/ServiceProviderConfig", token=token),
    ):
        assert_scim_error(answer, 401)
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert snapshot(*STATE) == before


def test_a_revoked_token_stops_working_at_once(provider, carol):
    assert provider.get("/Users").status == 200
    scim_token_revoke(token=ScimToken.objects.get(), revoked_by=carol)
    assert_scim_error(provider.post("/Users", entra_user()), 401)
    assert not ScimUser.objects.exists()


def test_a_session_cookie_is_no_token(client_for, carol):
    response = client_for(carol).get("/scim/v2/Users")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "query,scim_type",
    [
        ("userName eq", "invalidFilter"),
        ('userName eq "a" and', "invalidFilter"),
        ('title eq "Boss"', "invalidFilter"),
        ('userName co "a"', "invalidFilter"),
        ('emails[type eq "work"].value eq "a@example.com"', "invalidFilter"),
        ("((", "invalidFilter"),
    ],
)
def test_a_bad_or_unsupported_filter_is_an_invalid_filter_error(provider, query, scim_type):
    provider.post("/Users", entra_user())
    assert_scim_error(provider.get(f"/Users?filter={query}"), 400, scim_type)


@pytest.mark.parametrize("query", ["startIndex=one", "count=many"])
def test_a_page_that_is_not_a_number_is_refused(provider, query):
    assert_scim_error(provider.get(f"/Users?{query}"), 400, "invalidValue")


BAD_PATCHES = [
    (
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "frobnicate", "path": "displayName"}]},
        "invalidValue",
    ),
    ({"schemas": [PATCH_SCHEMA], "Operations": [{"op": "remove"}]}, "noTarget"),
    (
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "add", "path": "nope", "value": 1}]},
        "invalidPath",
    ),
    (
        {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "id", "value": "x"}]},
        "mutability",
    ),
    (
        {
            "schemas": [PATCH_SCHEMA],
            "Operations": [
                {"op": "replace", "path": "displayName", "value": "ok"},
                {"op": "replace", "path": "userName", "value": ""},
            ],
        },
        "invalidValue",
    ),
    (
        {
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "replace", "path": "displayName", "value": "a\nb"}],
        },
        "invalidValue",
    ),
    ({"Operations": "nothing"}, None),
    ("{not json", "invalidSyntax"),
]


@pytest.mark.parametrize("body,scim_type", BAD_PATCHES)
def test_a_bad_patch_is_refused_whole(provider, body, scim_type):
    scim_id = provider.post("/Users", entra_user()).body["id"]
    before = snapshot(*STATE)
    answer = provider.call("PATCH", f"/Users/{scim_id}", body)
    assert_scim_error(answer, 400, scim_type)
    assert snapshot(*STATE) == before


def test_a_bad_group_patch_changes_nothing(provider):
    group = provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Sales"}).body
    before = snapshot(*STATE)
    answer = provider.patch(
        f"/Groups/{group['id']}",
        [{"op": "add", "path": "members", "value": [{"value": "not-a-user"}]}],
    )
    assert_scim_error(answer, 400, "invalidValue")
    assert snapshot(*STATE) == before


@pytest.mark.parametrize(
    "body",
    [
        {"schemas": [USER_SCHEMA]},
        {"schemas": [USER_SCHEMA], "userName": ["a"]},
        {"schemas": [USER_SCHEMA], "userName": "a@example.com", "displayName": "x" * 200},
        [],
    ],
)
def test_a_bad_user_is_refused(provider, body):
    answer = provider.post("/Users", body)
    assert answer.status == 400, answer.body
    assert_scim_error(answer, 400)
    assert not ScimUser.objects.exists()


def test_an_unknown_endpoint_or_method_is_a_scim_error(provider):
    assert_scim_error(provider.get("/Nothing"), 404)
    assert_scim_error(provider.call("DELETE", "/Users"), 405)
    assert_scim_error(provider.post("/ServiceProviderConfig", {}), 405)
    assert_scim_error(provider.post("/.search", {}), 501)
