"""Two-factor log-in for every role: each person's own pages, and the admin's policy and reset.
A refused action changes nothing."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, make_person
from portevoix.accounts.models import Person, RecoveryCode, TwoFactor, TwoFactorPolicy
from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    WHO,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    client_as,
    object_url,
)

STATE = (Person, TwoFactor, RecoveryCode, TwoFactorPolicy, AuditEntry)


@pytest.fixture
def objects(db, charter):
    """Frank, an editor, has two-factor log-in: the admin's reset has something to do."""
    frank = make_person("frank@example.com", "Frank Petit", "editor")
    app_for(frank)
    return {"frank": frank}


PAGES = [  # url name, url arguments, who opens it
    ("accounts:two_factor_setup", (), LOGGED_IN),
    ("accounts:two_factor_policy", (), ADMIN),
]
ADMIN_ACTIONS = [  # url name, url arguments, valid form data
    ("accounts:two_factor_policy", (), {"required_for_pilots": "on"}),
    ("accounts:person_two_factor_reset", ("frank",), {}),
]
OWN_ACTIONS = [
    ("accounts:two_factor_setup", (), {"code": "123456"}),
    ("accounts:two_factor_recovery_codes", (), {"password": PASSWORD}),
    ("accounts:two_factor_off", (), {"password": PASSWORD}),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,args,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, args, allowed):
    response = client_as(request, who).get(object_url(objects, name, args))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize("who", WHO)
def test_the_code_step_is_only_for_a_pending_log_in(request, objects, who):
    response = client_as(request, who).get(reverse("accounts:two_factor_verify"))
    expected = reverse("accounts:login") if who == "anonymous" else reverse("core:home")
    assert response.status_code == 302 and response["Location"] == expected


@pytest.mark.parametrize(
    "who,name,args,data",
    [(who, *action) for action in ADMIN_ACTIONS for who in WHO if who not in ADMIN]
    + [("anonymous", *action) for action in OWN_ACTIONS],
)
def test_a_refused_action_changes_nothing(request, objects, who, name, args, data):
    assert_post_refused(client_as(request, who), who, object_url(objects, name, args), data, STATE)


@pytest.mark.parametrize("name,args,data", ADMIN_ACTIONS)
def test_an_admin_action_does_its_work(request, objects, name, args, data):
    assert_post_done(client_as(request, "carol"), object_url(objects, name, args), data, STATE)


@pytest.mark.parametrize("who", sorted(LOGGED_IN))
def test_actions_that_change_state_take_only_posts(request, objects, who):
    client = client_as(request, who)
    for name in ("accounts:two_factor_recovery_codes", "accounts:two_factor_off"):
        assert client.get(reverse(name)).status_code == 405, name
    reset = object_url(objects, "accounts:person_two_factor_reset", ("frank",))
    assert client.get(reset).status_code == (405 if who in ADMIN else 403)
