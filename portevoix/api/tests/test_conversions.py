"""Conversions moved under /api/v1/: the same rules as the old path, which keeps working."""

from __future__ import annotations

from django.db import connection

from portevoix.api.tests.conftest import ApiClient
from portevoix.tracking.conversions import conversion_key_create
from portevoix.tracking.hotpath.app import new_click_id
from portevoix.tracking.models import Conversion
from portevoix.tracking.tests.conftest import (  # noqa: F401 (fixtures)
    call,
    campaign,
    click_id_of,
    inbox_dir,
    link,
    make_app,
    post,
    redirect_app,
)

URL = "/api/v1/conversions"


def _click(redirect_app, link):  # noqa: F811
    return click_id_of(call(redirect_app, f"/s/{link.code}"))


def test_a_conversion_key_reports_here_as_on_the_old_path(redirect_app, link, alice):  # noqa: F811
    key = conversion_key_create(name="Site carrières", created_by=None)[1]
    api = ApiClient(key)
    click = _click(redirect_app, link)
    response = api.post(URL, {"click": click, "goal": "job_application"})
    assert response.status_code == 201, response.content
    assert response.json()["ambassador"] == alice.pk and response.json()["counted"] is True
    again = api.post(URL, {"click": click, "goal": "job_application"})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    old = ApiClient(key).post(
        "/tracking/api/conversions", {"click": _click(redirect_app, link), "goal": "lead"}
    )
    assert old.status_code == 201
    assert Conversion.objects.count() == 2


def test_only_an_admins_write_token_may_report(redirect_app, link, api_as, bob, carol):  # noqa: F811
    click = _click(redirect_app, link)
    body = {"click": click, "goal": "lead"}
    assert api_as(bob, "admin").post(URL, body).status_code == 403
    assert api_as(carol, "read").post(URL, body).status_code == 403
    assert not Conversion.objects.exists()
    assert api_as(carol, "write").post(URL, body).status_code == 201


def test_bad_reports_are_refused(redirect_app, link, api_as, carol):  # noqa: F811
    api = api_as(carol, "write")
    for body in (
        {"click": "court", "goal": "lead"},
        {"click": _click(redirect_app, link), "goal": "gagner"},
        {"click": _click(redirect_app, link), "goal": "lead", "extra": 1},
    ):
        assert api.post(URL, body).status_code == 422
    assert api.post(URL, {"click": "a" * 20, "goal": "lead"}).status_code == 404
    assert not Conversion.objects.exists()


def test_a_click_still_on_its_way_is_a_problem_to_retry(db):
    """The API's form of "try again" (tracking's test_conversions tells the rule)."""
    key = conversion_key_create(name="Site carrières", created_by=None)[1]
    response = ApiClient(key).post(URL, {"click": new_click_id(), "goal": "lead"})
    if connection.vendor == "postgresql":
        assert response.status_code == 503
        assert response["Retry-After"] == "1"
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"].endswith("click-in-transit")
    else:
        assert response.status_code == 404
    assert not Conversion.objects.exists()
