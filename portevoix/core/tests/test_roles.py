"""Core pages for every role: the home page (the feed) for everybody logged in, the audit log
for admins, the web app manifest for anyone (a phone fetches it before logging in)."""

import pytest
from django.urls import reverse

from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    WHO,
    assert_page_for,
    client_as,
)

PAGES = [
    ("core:home", LOGGED_IN),
    ("core:audit_log", ADMIN),
    ("core:audit_log_export", ADMIN),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, db, charter, who, name, allowed):
    response = client_as(request, who).get(reverse(name))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who", WHO)
def test_the_manifest_is_public(request, db, charter, who):
    response = client_as(request, who).get(reverse("core:manifest"))
    assert response.status_code == 200
    assert response.json()["start_url"] == "/"
