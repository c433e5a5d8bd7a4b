"""Indicators for every role: the programme dashboard and its exports for the pilot team, the
rates for admins, "my statistics" for everybody logged in — and nobody else's but for the pilot
team. A refused change of rates changes nothing."""

import pytest
from django.urls import reverse

from portevoix.analytics.models import BrandChannel, MediaRate
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    PILOT,
    WHO,
    assert_page_for,
    assert_refused,
    client_as,
    snapshot,
)

PAGES = [  # url name, url arguments, who opens it
    ("analytics:dashboard", (), PILOT),
    ("analytics:rankings", (), PILOT),
    ("analytics:health", (), PILOT),
    ("analytics:export", ("summary", "csv"), PILOT),
    ("analytics:export", ("ambassadors", "csv"), PILOT),
    ("analytics:export", ("cohorts", "csv"), PILOT),
    ("analytics:export", ("all", "xlsx"), PILOT),
    ("analytics:mine", (), LOGGED_IN),
    ("analytics:mine_export", ("summary", "csv"), LOGGED_IN),
    ("analytics:mine_export", ("all", "xlsx"), LOGGED_IN),
    ("analytics:rates", (), ADMIN),
]
RATES = {
    "channels-TOTAL_FORMS": "1",
    "channels-INITIAL_FORMS": "0",
    "channels-0-network": "linkedin",
    "channels-0-followers": "350",
    "rates-TOTAL_FORMS": "1",
    "rates-INITIAL_FORMS": "0",
    "rates-0-network": "linkedin",
    "rates-0-cpc": "2.50",
    "rates-0-cpm": "12",
    "rates-0-impression_rate": "0.2",
}
STATE = (BrandChannel, MediaRate)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,args,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, db, charter, who, name, args, allowed):
    response = client_as(request, who).get(reverse(name, args=args))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize(
    "name,args", [("analytics:mine", ()), ("analytics:mine_export", ("summary", "csv"))]
)
@pytest.mark.parametrize("who", WHO)
def test_someone_elses_statistics_are_for_the_pilot_team_only(request, alice, who, name, args):
    response = client_as(request, who).get(reverse(name, args=args), {"ambassador": alice.pk})
    if who in PILOT or who == "alice":
        assert response.status_code == 200
    elif who == "anonymous":
        assert_refused(response, who)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", sorted(set(WHO) - ADMIN))
def test_a_refused_change_of_rates_changes_nothing(request, db, charter, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    assert_refused(client.post(reverse("analytics:rates"), RATES), who)
    assert snapshot(*STATE) == before


def test_an_admin_changes_the_rates(client_for, carol):
    before = snapshot(*STATE)
    assert client_for(carol).post(reverse("analytics:rates"), RATES).status_code == 302
    assert snapshot(*STATE) != before
