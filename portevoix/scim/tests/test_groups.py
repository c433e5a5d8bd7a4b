"""SCIM groups are Portevoix groups: members as Entra ID and Okta send them."""

from portevoix.accounts.models import Group
from portevoix.scim.models import ScimGroup
from portevoix.scim.tests.conftest import GROUP_SCHEMA, assert_scim_error, entra_user, okta_user


def _people(provider) -> tuple[str, str]:
    jane = provider.post("/Users", entra_user()).body["id"]
    john = provider.post("/Users", okta_user()).body["id"]
    return jane, john


def test_a_group_with_members_becomes_a_portevoix_group(provider):
    jane, john = _people(provider)
    answer = provider.post(
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "Sales France",
            "externalId": "8f1d",
            "members": [{"value": jane}, {"value": john}],
        },
    )
    assert answer.status == 201, answer.body
    assert {m["value"] for m in answer.body["members"]} == {jane, john}
    group = Group.objects.get(name="Sales France")
    assert set(group.members.values_list("email", flat=True)) == {
        "jane.doe@example.com",
        "john.roe@example.com",
    }
    users = provider.get(f"/Users/{jane}").body
    assert users["groups"][0]["value"] == answer.body["id"]
    assert users["groups"][0]["display"] == "Sales France"


def test_entra_adds_and_removes_members_one_by_one(provider):
    jane, john = _people(provider)
    group = provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Marketing"}).body
    url = f"/Groups/{group['id']}"
    added = provider.patch(url, [{"op": "Add", "path": "members", "value": [{"value": jane}]}])
    assert added.status == 200, added.body
    provider.patch(url, [{"op": "Add", "path": "members", "value": [{"value": john}]}])
    removed = provider.patch(url, [{"op": "Remove", "path": f'members[value eq "{jane}"]'}])
    assert removed.status == 200, removed.body
    assert list(Group.objects.get(name="Marketing").members.values_list("email", flat=True)) == [
        "john.roe@example.com"
    ]
    renamed = provider.patch(url, [{"op": "Replace", "path": "displayName", "value": "Brand"}])
    assert renamed.status == 200 and Group.objects.filter(name="Brand").exists()


def test_okta_replaces_the_group_name_and_members(provider):
    jane, john = _people(provider)
    group = provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Ops"}).body
    answer = provider.patch(
        f"/Groups/{group['id']}",
        [
            {"op": "replace", "value": {"id": group["id"], "displayName": "Operations"}},
            {"op": "replace", "path": "members", "value": [{"value": john, "display": "John"}]},
        ],
    )
    assert answer.status == 200, answer.body
    operations = Group.objects.get(name="Operations")
    assert list(operations.members.values_list("email", flat=True)) == ["john.roe@example.com"]


def test_people_put_in_a_group_by_hand_stay_in_it(provider, alice):
    jane, _john = _people(provider)
    sales = Group.objects.create(name="Sales")
    sales.members.add(alice)
    answer = provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Sales"})
    assert answer.status == 201  # linked to the existing group
    provider.put(
        f"/Groups/{answer.body['id']}",
        {"schemas": [GROUP_SCHEMA], "displayName": "Sales", "members": [{"value": jane}]},
    )
    assert set(sales.members.values_list("email", flat=True)) == {
        "alice@example.com",
        "jane.doe@example.com",
    }
    assert [m["value"] for m in provider.get(f"/Groups/{answer.body['id']}").body["members"]] == [
        jane
    ]


def test_deleting_a_group_takes_its_members_out_but_keeps_it(provider):
    jane, _john = _people(provider)
    group = provider.post(
        "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Temp", "members": [{"value": jane}]}
    ).body
    assert provider.delete(f"/Groups/{group['id']}").status == 204
    kept = Group.objects.get(name="Temp")
    assert not kept.members.exists() and not ScimGroup.objects.exists()
    assert_scim_error(provider.get(f"/Groups/{group['id']}"), 404)


def test_an_unknown_member_refuses_the_whole_request(provider):
    jane, _john = _people(provider)
    answer = provider.post(
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "Bad",
            "members": [{"value": jane}, {"value": "00000000-0000-0000-0000-000000000000"}],
        },
    )
    assert_scim_error(answer, 400, "invalidValue")
    assert not Group.objects.filter(name="Bad").exists()


def test_groups_are_found_by_name(provider):
    provider.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Sales"})
    found = provider.get('/Groups?filter=displayName eq "sales"').body
    assert [r["displayName"] for r in found["Resources"]] == ["Sales"]


def test_entra_removes_members_by_naming_them_in_the_value(provider):
    jane, john = _people(provider)
    group = provider.post(
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "displayName": "Sales",
            "members": [{"value": jane}, {"value": john}],
        },
    ).body
    answer = provider.patch(
        f"/Groups/{group['id']}",
        [{"op": "Remove", "path": "members", "value": [{"value": jane}]}],
    )
    assert answer.status == 200, answer.body
    assert [m["value"] for m in answer.body["members"]] == [john]


def test_entra_reads_groups_without_their_members(provider):
    jane, _john = _people(provider)
    group = provider.post(
        "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Big", "members": [{"value": jane}]}
    ).body
    found = provider.get('/Groups?excludedAttributes=members&filter=displayName eq "Big"').body[
        "Resources"
    ][0]
    assert found["id"] == group["id"] and "members" not in found
    one = provider.get(f"/Groups/{group['id']}?excludedAttributes=members").body
    assert one["displayName"] == "Big" and "members" not in one
    assert provider.get(f"/Groups/{group['id']}").body["members"][0]["value"] == jane
