"""The API's figures are the dashboard's, for the same filters on the same data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from portevoix.analytics.tests.conftest import world  # noqa: F401 (the fixture)

FILTERS = [
    {"start": "2025-12-01", "end": "2025-12-31"},
    {"start": "2025-12-01", "end": "2026-01-31", "network": "linkedin"},
    {"start": "2025-12-01", "end": "2026-01-31", "by": "week"},
]


@pytest.mark.parametrize("query", FILTERS)
def test_the_api_and_the_dashboard_give_the_same_figures(query, client_for, api_as, bob, world):  # noqa: F811
    page = client_for(bob).get(reverse("analytics:dashboard"), query)
    summary = next(t for t in page.context["tables"] if t.slug == "summary")
    # JSON has numbers, not decimals: the euro amount is compared as the number it is
    shown = {
        row[0]: float(row[1]) if isinstance(row[1], Decimal) else row[1] for row in summary.rows
    }
    # the page speaks bob's language: the API is asked in the same one
    answered = api_as(bob, "read", language=bob.language).get("/api/v1/analytics/figures", query)
    answered = answered.json()
    assert {f["label"]: f["value"] for f in answered["figures"]} == shown
    assert any(f["slug"] == "verified" and f["value"] for f in answered["figures"])


def test_campaign_filters_use_the_dashboards_words(api_as, bob, world):  # noqa: F811
    query = {"start": "2025-12-01", "end": "2025-12-31", "campaign": str(world.campaign.pk)}
    figures = api_as(bob, "read").get("/api/v1/analytics/figures", query).json()["figures"]
    assert {f["slug"]: f["value"] for f in figures}["verified"] == 4


@pytest.mark.parametrize(
    "query", [{"start": "hier"}, {"network": "myspace"}, {"campaign": "999999"}, {"by": "year"}]
)
def test_bad_filters_are_a_400_problem(query, api_as, bob, world):  # noqa: F811
    response = api_as(bob, "read").get("/api/v1/analytics/figures", query)
    assert response.status_code == 400
    assert response.json()["detail"]
