"""The audit log knows which person an entry is about, so erasure can find it."""

import importlib

from django.apps import apps

from conftest import make_person
from portevoix.accounts.privacy import person_erase
from portevoix.core.audit import audit_record
from portevoix.core.models import AuditEntry

backfill = importlib.import_module("portevoix.core.migrations.0002_audit_target_person")


def test_an_entry_about_a_person_links_to_them(alice, carol):
    audit_record(actor=carol, action="person_deactivated", target=alice)
    audit_record(actor=carol, action="channel_added", target="#advocacy")
    assert list(AuditEntry.objects.order_by("id").values_list("target", "target_person")) == [
        ("Alice Martin", alice.pk),
        ("#advocacy", None),
    ]


def test_older_entries_are_linked_when_their_text_names_one_person(alice, carol):
    make_person("alice.bis@example.com", "Alice Martin", "ambassador")
    for target in ["Carol Admin", "alice@example.com", "Alice Martin", "#advocacy"]:
        AuditEntry.objects.create(actor_name="system", action="x", target=target)
    backfill.link_entries_to_people(apps, None)
    assert list(AuditEntry.objects.order_by("id").values_list("target", "target_person")) == [
        ("Carol Admin", carol.pk),
        ("alice@example.com", alice.pk),
        ("Alice Martin", None),  # two people carry that name: nobody is guessed
        ("#advocacy", None),
    ]


def test_erasure_reduces_unlinked_entries_that_carry_the_name(alice, carol):
    AuditEntry.objects.create(actor_name="system", action="x", target="Alice Martin")
    AuditEntry.objects.create(actor_name="system", action="y", target="")
    person_erase(person=alice)
    assert list(AuditEntry.objects.order_by("id").values_list("target", flat=True)) == [
        "example.com",
        "",
    ]
