"""The API checked by an outside compliance checker, scim2-tester (PyPI), against the running
server: discovery, create, read, list, attribute selection, replace, delete and PATCH add /
remove / replace of every attribute the schemas publish, for Users and Groups."""

import pytest
from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from portevoix.accounts.models import Person
from portevoix.scim.models import ScimUser
from portevoix.scim.tokens import scim_token_create

FAILED = (Status.ERROR, Status.CRITICAL)


@pytest.fixture
def checker_client(live_server, settings, carol):
    settings.SITE_URL = live_server.url  # resources' locations name the server under test
    _token, plain = scim_token_create(name="scim2-tester", created_by=carol)
    with Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {plain}"},
        timeout=30,
    ) as http:
        yield SyncSCIMClient(http)


def test_scim2_tester_finds_no_error(checker_client):
    results = check_server(checker_client)
    failures = [
        f"{r.resource_type or ''} {r.title}: {r.reason}" for r in results if r.status in FAILED
    ]
    assert not failures, "\n".join(failures)
    succeeded = {r.title for r in results if r.status == Status.SUCCESS}
    for check in (
        "object_creation",
        "object_query",
        "object_replacement",
        "object_deletion",
        "check_add_attribute",
        "check_remove_attribute",
        "check_replace_attribute",
    ):
        assert check in succeeded, check
    # The checker cleaned up after itself, through our erasure.
    assert not ScimUser.objects.exists()
    assert list(Person.objects.values_list("email", flat=True)) == ["carol@example.com"]
