"""Bad tokens, bad filters, bad bodies: each a SCIM error (RFC 7644 §3.12), nothing changed."""

import json
from urllib.parse import quote

import pytest
from scim2_models import InvalidValueException, User

from portevoix.accounts.models import Group, Person
from portevoix.core.tests.roles import snapshot
from portevoix.scim.models import ScimGroup, ScimToken, ScimUser
from portevoix.scim.queries import USER_LOOKUPS, filter_q
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


def _a_user_and_a_group(provider) -> tuple[str, str]:
    user = provider.post("/Users", entra_user()).body["id"]
    group = provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Sales"}).body
    return user, group["id"]


def _every_body_endpoint(user: str, group: str) -> list[tuple[str, str]]:
    return [
        ("POST", "/Users/.search"),
        ("POST", "/Groups/.search"),
        ("POST", "/Users"),
        ("POST", "/Groups"),
        ("PUT", f"/Users/{user}"),
        ("PUT", f"/Groups/{group}"),
        ("PATCH", f"/Users/{user}"),
        ("PATCH", f"/Groups/{group}"),
    ]


@pytest.mark.parametrize("body", ["[1]", "[]", '"abc"', "5", "true", "null"])
def test_a_body_that_is_not_a_json_object_is_invalid_syntax(provider, body):
    """Every body of the protocol is an object (a resource, a PatchOp, a SearchRequest)."""
    user, group = _a_user_and_a_group(provider)
    before = snapshot(*STATE)
    for method, path in _every_body_endpoint(user, group):
        answer = provider.call(method, path, body)
        assert_scim_error(answer, 400, "invalidSyntax")
    assert snapshot(*STATE) == before


def test_a_search_without_a_body_lists_everything(provider):
    user, group = _a_user_and_a_group(provider)
    for path, found in (("/Users/.search", user), ("/Groups/.search", group)):
        answer = provider.post(path, "")
        assert answer.status == 200, answer.body
        assert [r["id"] for r in answer.body["Resources"]] == [found]


@pytest.mark.parametrize("excluded", [5, True, [5], ["members", None], {"members": 1}])
def test_excluded_attributes_that_are_not_names_are_an_invalid_value(provider, excluded):
    _a_user_and_a_group(provider)
    for path in ("/Users/.search", "/Groups/.search"):
        answer = provider.post(path, {"excludedAttributes": excluded})
        assert_scim_error(answer, 400, "invalidValue")


@pytest.mark.parametrize("excluded", ["members", ["members"], [" Members "]])
def test_a_search_excludes_members_named_as_a_string_or_a_list(provider, excluded):
    user, _group = _a_user_and_a_group(provider)
    provider.patch(
        f"/Groups/{_group}", [{"op": "add", "path": "members", "value": [{"value": user}]}]
    )
    answer = provider.post("/Groups/.search", {"excludedAttributes": excluded})
    assert answer.status == 200, answer.body
    assert "members" not in answer.body["Resources"][0]


SURROGATE = "\ud800"  # json.dumps writes it "\ud800": valid JSON, no character
NUL = "\x00"


def _bodies_holding(text: str, user: str, group: str) -> list[tuple[str, str, dict]]:
    """A request of each kind with `text` in one of its values."""
    return [
        ("POST", "/Users", entra_user(displayName=f"Ja{text}ne")),
        ("POST", "/Users", entra_user(externalId=f"j{text}")),
        (
            "POST",
            "/Users",
            entra_user(emails=[{"value": "jd@example.com", "type": f"w{text}", "primary": True}]),
        ),
        ("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": f"Sa{text}les"}),
        ("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "HR", "externalId": text}),
        ("PUT", f"/Users/{user}", entra_user(externalId=f"j{text}")),
        ("PUT", f"/Groups/{group}", {"schemas": [GROUP_SCHEMA], "displayName": f"S{text}"}),
        (
            "PATCH",
            f"/Users/{user}",
            {
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "replace", "path": "externalId", "value": text}],
            },
        ),
        (
            "PATCH",
            f"/Groups/{group}",
            {
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "replace", "path": "externalId", "value": text}],
            },
        ),
        ("POST", "/Users/.search", {"filter": f'externalId eq "{text}"'}),
        ("POST", "/Users/.search", {"filter": f'userName eq "a{text}@example.com"'}),
        ("POST", "/Groups/.search", {"filter": f'displayName eq "{text}"'}),
    ]


def test_a_lone_surrogate_is_invalid_syntax(provider):
    """No database can encode it: it used to reach the database and fail there (a 500)."""
    user, group = _a_user_and_a_group(provider)
    before = snapshot(*STATE)
    for method, path, body in _bodies_holding(SURROGATE, user, group):
        assert "\\ud800" in json.dumps(body)
        assert_scim_error(provider.call(method, path, body), 400, "invalidSyntax")
    assert snapshot(*STATE) == before


def test_nul_is_an_invalid_value(provider):
    """PostgreSQL refuses NUL in text and in a query: it used to be a 500 there (and stored
    as such by SQLite)."""
    user, group = _a_user_and_a_group(provider)
    before = snapshot(*STATE)
    for method, path, body in _bodies_holding(NUL, user, group):
        assert_scim_error(provider.call(method, path, body), 400, "invalidValue")
    assert snapshot(*STATE) == before


@pytest.mark.parametrize(
    "users,groups",
    [
        (r'externalId eq "\u0000"', r'externalId eq "\u0000"'),
        (r'userName eq "a\u0000@example.com"', r'displayName eq "S\u0000"'),
        (r'displayName eq "Ja\ud800"', r'externalId eq "\udfff"'),
        (r'not (displayName eq "x\udfff")', r'id eq "x" or displayName eq "\ud800"'),
    ],
)
def test_a_filter_spelling_nul_or_a_lone_surrogate_is_an_invalid_value(provider, users, groups):
    """A filter's string is JSON's: its escapes spell NUL and lone surrogates even in a query
    string or a .search body that holds neither."""
    user, group = _a_user_and_a_group(provider)
    for path, text in (("/Users", users), ("/Groups", groups)):
        assert_scim_error(provider.get(f"{path}?filter={quote(text)}"), 400, "invalidValue")
        searched = provider.post(f"{path}/.search", {"filter": text})
        assert_scim_error(searched, 400, "invalidValue")
    found = provider.get("/Users?filter=" + quote('externalId eq "jdoe"')).body
    assert [r["id"] for r in found["Resources"]] == [user]


@pytest.mark.parametrize("value", [SURROGATE, NUL, f"a{SURROGATE}b", f"a{NUL}"])
def test_a_filter_value_no_database_can_search_for_is_refused(value):
    """A query string cannot carry a lone surrogate (Django replaces it), a .search body is
    refused before; the filter refuses it too, whatever reads it."""
    with pytest.raises(InvalidValueException):
        filter_q(f"externalId eq {json.dumps(value)}", User, USER_LOOKUPS)


@pytest.mark.parametrize(
    "query",
    [
        "startIndex=99999999999999999999",
        "count=99999999999999999999",
        f"startIndex={2**31}",
        f"count={2**31}",
        "startIndex=9223372036854775807",
    ],
)
def test_a_page_beyond_any_page_is_an_invalid_value(provider, query):
    """Such a startIndex overflowed the database's OFFSET (SQLite answered 409, PostgreSQL
    would have failed)."""
    _a_user_and_a_group(provider)
    assert_scim_error(provider.get(f"/Users?{query}"), 400, "invalidValue")
    assert_scim_error(provider.get(f"/Groups?{query}"), 400, "invalidValue")
    name, value = query.split("=")
    assert_scim_error(provider.post("/Users/.search", {name: int(value)}), 400, "invalidValue")


def test_the_last_page_number_allowed_answers_an_empty_page(provider):
    _a_user_and_a_group(provider)
    answer = provider.get(f"/Users?startIndex={2**31 - 1}&count={2**31 - 1}")
    assert answer.status == 200, answer.body
    assert answer.body["totalResults"] == 1 and answer.body["startIndex"] == 2**31 - 1
    assert answer.body.get("Resources", []) == []
