"""People's data requests run for them by an admin or a data-protection officer: the same file
and the same erasure as the self-service ones, recorded in the audit log; nobody else may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_person
from portevoix.accounts.models import Person
from portevoix.content.tests.factories import make_post
from portevoix.core.audit import audit_verify
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import WHO, assert_refused, client_as
from portevoix.sharing.archive import archive_verify
from portevoix.sharing.models import ArchiveEntry, Share
from portevoix.sharing.shares import share_create


@pytest.fixture
def olga(db, charter):
    """An ambassador named data-protection officer: she gets these pages and nothing more."""
    person = make_person("olga@example.com", "Olga DPO", "ambassador")
    person.data_protection_officer = True
    person.save(update_fields=["data_protection_officer"])
    return person


def test_the_export_on_request_is_the_file_the_person_downloads(client_for, alice, olga):
    share_create(person=alice, post=make_post(), network="linkedin", text="Fière de nos équipes")
    own = client_for(alice).get(reverse("accounts:my_data_export"))
    asked = client_for(olga).post(
        reverse("accounts:data_request_export", args=[alice.pk]), {"reference": "DPO-12"}
    )
    assert asked.status_code == 200
    assert asked.content == own.content
    assert asked["Content-Disposition"] == own["Content-Disposition"]
    entry = AuditEntry.objects.get(action="data_exported_on_request")
    assert (entry.actor, entry.target_person) == (olga, alice)
    assert entry.details["reference"] == "DPO-12"


def test_the_erasure_on_request_is_the_self_service_erasure(client_for, alice, bob, olga):
    """Erased on request (alice) and by herself (bob, same kind of data): the same is left."""
    post = make_post()
    for person in (alice, bob):
        share_create(person=person, post=post, network="linkedin", text=f"Texte de {person}")
    response = client_for(olga).post(
        reverse("accounts:data_request_erase", args=[alice.pk]),
        {"confirm": "ALICE@example.com", "reference": "DPO-13"},
    )
    assert response.status_code == 302
    from conftest import PASSWORD

    client_for(bob).post(reverse("accounts:my_account_erase"), {"password": PASSWORD})
    assert not Person.objects.filter(email__in=["alice@example.com", "bob@example.com"]).exists()
    assert list(Share.objects.values_list("person", "text", "fingerprint")) == [
        (None, "", ""),
        (None, "", ""),
    ]
    assert list(ArchiveEntry.objects.values_list("person_name", "text", "erased")) == [
        ("", "", True),
        ("", "", True),
    ]
    entry = AuditEntry.objects.get(action="account_erased_on_request")
    assert (entry.actor, entry.target) == (olga, "example.com")
    assert list(audit_verify()) == [] and list(archive_verify()) == []


@pytest.mark.parametrize("confirm", ["", "bob@example.com", "not an e-mail"])
def test_an_erasure_without_the_right_confirmation_changes_nothing(
    client_for, alice, olga, confirm
):
    response = client_for(olga).post(
        reverse("accounts:data_request_erase", args=[alice.pk]), {"confirm": confirm}
    )
    assert response.status_code == 302
    assert Person.objects.filter(pk=alice.pk).exists()
    assert not AuditEntry.objects.filter(action="account_erased_on_request").exists()


def test_the_last_admin_is_not_erased_on_request(client_for, carol, olga):
    client_for(olga).post(
        reverse("accounts:data_request_erase", args=[carol.pk]), {"confirm": carol.email}
    )
    assert Person.objects.filter(pk=carol.pk).exists()


def test_the_page_finds_the_person_or_says_nobody_has_that_address(client_for, alice, olga):
    client = client_for(olga)
    found = client.get(reverse("accounts:data_requests"), {"email": "Alice@Example.com"})
    assert found.status_code == 200 and found.context["person"] == alice
    missing = client.get(reverse("accounts:data_requests"), {"email": "nobody@example.com"})
    assert missing.status_code == 400 and list(missing.context["form"].errors) == ["email"]


def test_the_flag_gives_these_pages_only(client_for, olga):
    client = client_for(olga)
    assert client.get(reverse("accounts:data_requests")).status_code == 200
    assert client.get(reverse("sharing:archive")).status_code == 200
    for name in ("accounts:people", "core:audit_log", "accounts:retention", "content:posts"):
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("who", [*WHO, "olga"])
def test_who_may_run_a_request(request, alice, olga, who):
    client = client_as(request, who)
    allowed = who in ("carol", "olga")
    page = client.get(reverse("accounts:data_requests"))
    export = client.post(reverse("accounts:data_request_export", args=[alice.pk]))
    erase = client.post(
        reverse("accounts:data_request_erase", args=[alice.pk]), {"confirm": alice.email}
    )
    if allowed:
        assert page.status_code == 200 and export.status_code == 200
        assert erase.status_code == 302 and not Person.objects.filter(pk=alice.pk).exists()
    else:
        for response in (page, export, erase):
            assert_refused(response, who)
        assert Person.objects.filter(pk=alice.pk).exists()
        assert not AuditEntry.objects.filter(action__endswith="_on_request").exists()


def test_an_officer_who_is_not_an_admin_cannot_erase_an_admin(client_for, carol, olga):
    """Another admin exists, so carol is not the last one: the refusal is the officer's role."""
    make_person("cecile@example.com", "Cécile Admin", "admin")
    client_for(olga).post(
        reverse("accounts:data_request_erase", args=[carol.pk]), {"confirm": carol.email}
    )
    assert Person.objects.filter(pk=carol.pk).exists()
    assert not AuditEntry.objects.filter(action="account_erased_on_request").exists()


def test_an_admin_may_erase_another_admin_on_request(client_for, carol):
    cecile = make_person("cecile@example.com", "Cécile Admin", "admin")
    client_for(carol).post(
        reverse("accounts:data_request_erase", args=[cecile.pk]), {"confirm": cecile.email}
    )
    assert not Person.objects.filter(pk=cecile.pk).exists()


def test_a_scoped_admin_runs_the_requests_of_their_scope_only(client_for, bob):
    """Sara is an admin for Paris: Léo (Lyon) is outside her remit, found by no e-mail, no id."""
    from portevoix.accounts.tests.scoped_world import scoped_world

    world = scoped_world(bob)
    paula, leo = world.objects["paula"], world.objects["leo"]
    client = client_for(world.sara)
    found = client.get(reverse("accounts:data_requests"), {"email": paula.email})
    assert found.context["person"] == paula
    hidden = client.get(reverse("accounts:data_requests"), {"email": leo.email})
    assert hidden.status_code == 400 and hidden.context["person"] is None
    export = client.post(reverse("accounts:data_request_export", args=[leo.pk]))
    assert export.status_code == 404
    erase = client.post(
        reverse("accounts:data_request_erase", args=[leo.pk]), {"confirm": leo.email}
    )
    assert erase.status_code == 404
    assert Person.objects.filter(pk=leo.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith="_on_request").exists()
    assert client.post(reverse("accounts:data_request_export", args=[paula.pk])).status_code == 200
