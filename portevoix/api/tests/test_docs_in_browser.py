"""The API's docs page in a real Chromium, with the Content-Security-Policy on: Swagger UI
(django-ninja's own static files, no CDN) renders every operation, nothing is asked of another
origin, and the browser reports no violation of the policy."""

import pytest

from portevoix.core.tests.test_csp_in_browser import log_in, watched  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_every_operation_from_our_own_files(watched, bob):  # noqa: F811
    log_in(watched, bob.email)
    requested: list[str] = []
    watched.on("request", lambda r: requested.append(r.url))
    watched.goto("/api/v1/docs")
    watched.wait_for_selector(".opblock")
    assert watched.locator(".opblock").count() >= 25
    outside = [url for url in requested if not url.startswith(watched.url.split("/api/")[0])]
    assert [u for u in outside if not u.startswith("data:")] == []
    assert "/api/v1/posts/{post_id}/publish" in watched.content()
    assert watched.violations() == []
