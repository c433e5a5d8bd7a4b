"""Accounts for every role: the public pages, each person's own pages and the admin's pages on
people, groups and the charter. A refused action changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PASSWORD
from portevoix.accounts.models import (
    CharterAcceptance,
    CharterVersion,
    Group,
    Invitation,
    NetworkAccount,
    Person,
)
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import (
    ADMIN,
    LOGGED_IN,
    WHO,
    assert_page_for,
    assert_post_done,
    assert_post_refused,
    assert_refused,
    client_as,
    object_url,
    snapshot,
)

STATE = (
    Person,
    Person.groups.through,
    Group,
    Invitation,
    CharterVersion,
    CharterAcceptance,
    NetworkAccount,
    AuditEntry,
)


@pytest.fixture
def objects(db, alice):
    return {"alice": alice, "group": Group.objects.create(name="Ventes")}


PUBLIC_PAGES = [  # url name, url arguments, status for everybody
    ("accounts:password_reset", (), 200),
    ("accounts:password_reset_done", (), 200),
    ("accounts:password_reset_confirm", ("MQ", "not-a-token"), 200),  # says the link is invalid
    ("accounts:invitation_accept", ("not-a-token",), 410),
]
PAGES = [  # url name, url arguments, who opens it
    ("accounts:welcome", (), LOGGED_IN),
    ("accounts:profile", (), LOGGED_IN),
    ("accounts:charter", (), LOGGED_IN),
    ("accounts:my_data", (), LOGGED_IN),
    ("accounts:my_data_export", (), LOGGED_IN),
    ("accounts:people", (), ADMIN),
    ("accounts:person_invite", (), ADMIN),
    ("accounts:people_import", (), ADMIN),
    ("accounts:groups", (), ADMIN),
    ("accounts:charter_admin", (), ADMIN),
    ("accounts:person_edit", ("alice",), ADMIN),
]


def charter_data(objects: dict) -> dict:
    return {"title": "Charte v2", "text": "Restez **vous-mêmes**."}


def invite_data(objects: dict) -> dict:
    return {"email": "zoe@example.com", "full_name": "Zoé Blanc", "role": "admin"}


def import_data(objects: dict) -> dict:
    text = b"email,full_name,role,groups\nzoe@example.com,Zoe Blanc,admin,Ventes\n"
    return {"file": SimpleUploadedFile("people.csv", text, "text/csv")}


def person_data(objects: dict) -> dict:
    return {"full_name": "Alice M.", "role": "admin", "groups": [objects["group"].pk]}


def deactivate(objects: dict) -> dict:
    return {"active": "0"}


def group_data(objects: dict) -> dict:
    return {"name": "Lyon", "kind": "site"}


def profile_data(objects: dict) -> dict:
    return {"full_name": "Quelqu'un d'autre", "language": "en"}


def charter_acceptance(objects: dict) -> dict:
    return {"version": "1"}


def erase(objects: dict) -> dict:
    return {"password": PASSWORD}


def nothing(objects: dict) -> dict:
    return {}


ADMIN_ACTIONS = [  # url name, url arguments, valid form data
    ("accounts:charter_admin", (), charter_data),
    ("accounts:person_invite", (), invite_data),
    ("accounts:people_import", (), import_data),
    ("accounts:person_edit", ("alice",), person_data),
    ("accounts:person_active", ("alice",), deactivate),
    ("accounts:groups", (), group_data),
]
# Each person's own actions: only the anonymous visitor is refused; what they do for the
# person is tested in test_profile, test_participation, test_charter and test_privacy.
OWN_ACTIONS = [
    ("accounts:profile", (), profile_data),
    ("accounts:charter", (), charter_acceptance),
    ("accounts:opt_in", (), nothing),
    ("accounts:opt_out", (), nothing),
    ("accounts:my_account_erase", (), erase),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,args,status", PUBLIC_PAGES)
def test_public_pages_open_for_everybody(request, objects, who, name, args, status):
    assert client_as(request, who).get(object_url(objects, name, args)).status_code == status


@pytest.mark.parametrize("who", WHO)
def test_the_login_page_sends_people_already_logged_in_home(request, objects, who):
    response = client_as(request, who).get(reverse("accounts:login"))
    if who == "anonymous":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == reverse("core:home")


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name,args,allowed", PAGES)
def test_each_page_opens_for_its_roles_only(request, objects, who, name, args, allowed):
    response = client_as(request, who).get(object_url(objects, name, args))
    assert_page_for(response, who, allowed)


@pytest.mark.parametrize(
    "who,name,args,data",
    [(who, *action) for action in ADMIN_ACTIONS for who in WHO if who not in ADMIN]
    + [("anonymous", *action) for action in OWN_ACTIONS],
)
def test_a_refused_action_changes_nothing(request, objects, who, name, args, data):
    assert_post_refused(
        client_as(request, who), who, object_url(objects, name, args), data(objects), STATE
    )


@pytest.mark.parametrize("name,args,data", ADMIN_ACTIONS)
def test_an_admin_action_does_its_work(request, objects, name, args, data):
    assert_post_done(
        client_as(request, "carol"), object_url(objects, name, args), data(objects), STATE
    )


@pytest.mark.parametrize("who", sorted(LOGGED_IN))
def test_actions_that_change_state_take_only_posts(request, objects, who):
    client = client_as(request, who)
    before = snapshot(*STATE)
    for name, args in [
        ("accounts:opt_in", ()),
        ("accounts:opt_out", ()),
        ("accounts:my_account_erase", ()),
        ("accounts:logout", ()),
    ]:
        assert client.get(object_url(objects, name, args)).status_code == 405, name
    expected = 405 if who in ADMIN else 403
    assert (
        client.get(object_url(objects, "accounts:person_active", ("alice",))).status_code
        == expected
    )
    assert snapshot(*STATE) == before


def test_an_admin_cannot_deactivate_themselves(client_for, carol):
    response = client_for(carol).post(
        reverse("accounts:person_active", args=[carol.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    carol.refresh_from_db()
    assert carol.is_active


def test_a_deactivated_person_loses_access_at_once(client_for, carol, alice):
    from django.test import Client

    alices = Client()
    alices.force_login(alice)
    assert alices.get(reverse("core:home")).status_code == 200
    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    # The session she opened before no longer works.
    assert_refused(alices.get(reverse("core:home")), "anonymous")
    assert_refused(alices.get(reverse("sharing:my_shares")), "anonymous")
