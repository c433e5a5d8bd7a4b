"""ETags, the page session with CSRF, rate limits per token, the OpenAPI document and docs."""

from __future__ import annotations

from django.test import Client

from portevoix.api.tests.conftest import ApiClient


def test_an_unchanged_read_answers_304_with_its_etag(api_as, bob):
    api = api_as(bob, "write")
    post_id = api.post("/api/v1/posts", {"title": "Un"}).json()["id"]
    first = api.get(f"/api/v1/posts/{post_id}")
    etag = first["ETag"]
    again = api.get(f"/api/v1/posts/{post_id}", None, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    api.patch(f"/api/v1/posts/{post_id}", {"title": "Deux"})
    changed = api.get(f"/api/v1/posts/{post_id}", None, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_pages_scripts_use_the_session_with_csrf(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.get("/api/v1/me").json()["email"] == bob.email
    refused = client.post("/api/v1/posts", {"title": "x"}, content_type="application/json")
    assert refused.status_code == 403
    client.get("/api/tokens/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post(
        "/api/v1/posts",
        {"title": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert done.status_code == 201, done.content


def test_each_token_has_its_own_rate_limit(settings, token_for, alice, bob):
    settings.API_RATE = "3/m"
    alice_api = ApiClient(token_for(alice, "read"))
    for _ in range(3):
        assert alice_api.get("/api/v1/me").status_code == 200
    refused = alice_api.get("/api/v1/me")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"
    assert ApiClient(token_for(bob, "read")).get("/api/v1/me").status_code == 200


def test_the_openapi_document_and_its_docs_page_are_served_from_here(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/posts/{post_id}/publish" in document["paths"]
    problem = document["paths"]["/api/v1/posts"]["post"]["responses"]["422"]["content"]
    assert "application/problem+json" in problem
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert page["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_refused_request_is_a_problem_before_its_input_is_read(api_as, alice):
    # even a body the operation would refuse: who may not call it learns nothing of its rules
    response = api_as(alice, "read").post("/api/v1/posts", {"colour": 1})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert api_as(alice, "read").post("/api/v1/me", {}).status_code == 405
