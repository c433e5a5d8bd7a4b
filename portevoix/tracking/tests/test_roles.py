"""Tracking pages for every role: the pilot team disables links, admins manage conversion keys;
the conversion endpoints trust an API key or a click id, never a session."""

import json

import pytest
from django.urls import reverse

from portevoix.core.tests.roles import (
    ADMIN,
    PILOT,
    WHO,
    allowed_cases,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
    refused_cases,
    snapshot,
)
from portevoix.tracking.conversions import conversion_key_create
from portevoix.tracking.links import tracked_link_for, tracked_link_set_disabled
from portevoix.tracking.models import Conversion, ConversionKey, TrackedLink

STATE = (TrackedLink, ConversionKey, Conversion)


@pytest.fixture
def objects(post, alice, carol):
    key, _raw = conversion_key_create(name="Site carrières", created_by=carol)
    disabled = tracked_link_for(post=post, ambassador=alice, network="x")
    tracked_link_set_disabled(link=disabled, disabled=True)
    return {
        "link": tracked_link_for(post=post, ambassador=alice, network="linkedin"),
        "disabled": disabled,
        "key": key,
    }


PAGES = [  # url name, object it needs, who opens it
    ("tracking:links", None, PILOT),
    ("tracking:keys", None, ADMIN),
    ("tracking:health", None, ADMIN),
    ("tracking:health_json", None, ADMIN),
]
ACTIONS = [  # url name, object, who may, form data, status when allowed
    ("tracking:link_disable", "link", PILOT, {}, 302),
    ("tracking:link_enable", "disabled", PILOT, {}, 302),
    ("tracking:keys", None, ADMIN, {"name": "Blog"}, 200),  # the new key shows once, on the page
    ("tracking:key_revoke", "key", ADMIN, {}, 302),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,kind,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, kind, allowed):
    response = client_as(request, who).get(object_url(objects, name, kind))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize(
    "who,name,kind,data",
    refused_cases(ACTIONS),
)
def test_a_refused_action_changes_nothing(request, objects, who, name, kind, data):
    assert_post_refused(client_as(request, who), who, object_url(objects, name, kind), data, STATE)


@pytest.mark.parametrize(
    "who,name,kind,data,status",
    allowed_cases(ACTIONS),
)
def test_an_allowed_action_does_its_work(request, objects, who, name, kind, data, status):
    assert_post_done(client_as(request, who), object_url(objects, name, kind), data, STATE, status)


@pytest.mark.parametrize("who", WHO)
def test_the_conversion_api_wants_a_key_whoever_is_logged_in(request, objects, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    body = json.dumps({"click": "c" * 16, "goal": "lead"})
    response = client.post(reverse("tracking:conversions_api"), body, "application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert client.get(reverse("tracking:conversions_api")).status_code == 405
    assert snapshot(*STATE) == before


@pytest.mark.parametrize("who", WHO)
def test_the_conversion_script_endpoint_is_open_to_any_site(request, objects, who):
    client = client_as(request, who)
    response = client.options(reverse("tracking:conversions_script"))
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(reverse("tracking:conversions_script")).status_code == 405
