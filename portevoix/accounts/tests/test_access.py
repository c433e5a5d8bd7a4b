"""Each page for each role: allowed where it should be, refused where not."""

import pytest
from django.urls import reverse

ADMIN_PAGES: list[tuple[str, dict[str, int]]] = [
    ("accounts:people", {}),
    ("accounts:person_invite", {}),
    ("accounts:people_import", {}),
    ("accounts:groups", {}),
    ("accounts:charter_admin", {}),
    ("core:audit_log", {}),
]
PERSONAL_PAGES = [
    "core:home",
    "accounts:profile",
    "accounts:charter",
    "accounts:welcome",
    "accounts:my_data",
    "accounts:my_data_export",
]


@pytest.mark.parametrize("name,kwargs", ADMIN_PAGES)
@pytest.mark.parametrize("who", ["alice", "bob", "dave", "erin"])
def test_only_admins_reach_admin_pages(request, client_for, who, name, kwargs):
    person = request.getfixturevalue(who)
    response = client_for(person).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403


@pytest.mark.parametrize("name,kwargs", ADMIN_PAGES)
def test_admin_reaches_admin_pages(client_for, carol, name, kwargs):
    assert client_for(carol).get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize("name,kwargs", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PERSONAL_PAGES)
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "erin"])
def test_every_role_reaches_its_own_pages(request, client_for, who, name):
    person = request.getfixturevalue(who)
    assert client_for(person).get(reverse(name)).status_code == 200


def test_admin_edits_a_person_but_an_editor_cannot(client_for, carol, bob, alice):
    url = reverse("accounts:person_edit", args=[alice.pk])
    response = client_for(bob).post(url, {"full_name": "Alice", "role": "admin"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.role == "ambassador"
    response = client_for(carol).post(url, {"full_name": "Alice M.", "role": "editor"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == "editor"


def test_admin_pages_show_the_navigation_only_to_admins(client_for, carol, alice):
    people_url = reverse("accounts:people")
    assert people_url in client_for(carol).get(reverse("core:home")).content.decode()
    assert people_url not in client_for(alice).get(reverse("core:home")).content.decode()


def test_the_people_list_pages_keep_the_search(client_for, carol):
    from portevoix.accounts.models import Person

    Person.objects.bulk_create(
        Person(email=f"martin{i}@example.com", full_name=f"Martin {i:02d}") for i in range(60)
    )
    client = client_for(carol)
    page = client.get(reverse("accounts:people"), {"q": "martin"}).content.decode()
    assert "?q=martin&amp;page=2" in page
    second = client.get(reverse("accounts:people"), {"q": "martin", "page": 2}).content.decode()
    assert "Martin 59" in second and "Martin 00" not in second


def test_the_last_admin_cannot_give_up_the_role(client_for, carol, bob):
    carol.language = "en"
    carol.save()
    client = client_for(carol)
    url = reverse("accounts:person_edit", args=[carol.pk])
    response = client.post(url, {"full_name": carol.full_name, "role": "editor"})
    assert response.status_code == 200
    assert "This is the last administrator" in response.content.decode()
    carol.refresh_from_db()
    assert carol.role == "admin"
    # With a second admin named, the first may step down.
    bob.role = "admin"
    bob.save()
    assert client.post(url, {"full_name": carol.full_name, "role": "editor"}).status_code == 302
    carol.refresh_from_db()
    assert carol.role == "editor"
