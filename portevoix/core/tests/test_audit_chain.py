"""The audit log is a hash chain: changing, deleting or inserting a row shows, and
`manage.py audit_verify` names the entry and exits non-zero."""

import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from portevoix.accounts.privacy import person_erase
from portevoix.core.audit import audit_record, audit_verify
from portevoix.core.models import AuditEntry, ChainHead

migration = importlib.import_module("portevoix.core.migrations.0003_audit_chain_retention")


def verify() -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


@pytest.fixture
def three(carol, alice):
    return [
        audit_record(actor=carol, action="group_created", target="Paris"),
        audit_record(actor=carol, action="person_role_changed", target=alice, role="editor"),
        audit_record(actor=None, action="retention_purged", target="", clicks=3),
    ]


def test_an_intact_chain_verifies(three):
    out, ok = verify()
    assert ok, out
    assert "intact" in out
    assert three[1].previous_hash == three[0].hash
    assert ChainHead.objects.get(name="audit").last_hash == three[2].hash


def test_a_changed_field_is_found(three):
    AuditEntry.objects.filter(pk=three[1].pk).update(action="person_role_kept")
    out, ok = verify()
    assert not ok
    assert f"entry {three[1].pk}: its content does not match its hash" in out


def test_a_changed_name_is_found(three):
    AuditEntry.objects.filter(pk=three[0].pk).update(actor_name="Someone Else")
    out, ok = verify()
    assert not ok
    assert f"entry {three[0].pk}: its actor_name was changed" in out


def test_a_deleted_row_is_found(three):
    AuditEntry.objects.filter(pk=three[1].pk).delete()
    out, ok = verify()
    assert not ok
    assert f"entry {three[2].pk}: links to" in out
    assert "removed or inserted" in out


def test_a_deleted_newest_row_is_found(three):
    AuditEntry.objects.filter(pk=three[2].pk).delete()
    out, ok = verify()
    assert not ok
    assert "chain head" in out


def test_an_inserted_row_is_found(carol):
    from portevoix.core.audit import audit_chained_content
    from portevoix.core.chain import chain_hash

    first = audit_record(actor=carol, action="group_created", target="Paris")
    # The placeholder is outside the chain: verification would already fail on it.
    gap = AuditEntry.objects.create(actor_name="x", action="x")  # only to leave an id free
    last = audit_record(actor=carol, action="group_created", target="Lyon")
    AuditEntry.objects.filter(pk=gap.pk).delete()
    # A careful forger even gives the inserted row a right hash over the one before it.
    forged = AuditEntry(pk=gap.pk, actor_name="system", action="person_deleted", at=first.at)
    forged.previous_hash = first.hash
    forged.hash = chain_hash(first.hash, audit_chained_content(forged))
    forged.save(force_insert=True)
    assert AuditEntry.objects.order_by("id").last() == last
    out, ok = verify()
    assert not ok
    assert f"entry {last.pk}: links to" in out


def test_an_appended_row_is_found(three):
    from portevoix.core.audit import audit_chained_content
    from portevoix.core.chain import chain_hash

    forged = AuditEntry(actor_name="system", action="person_deleted")
    forged.previous_hash = three[2].hash
    forged.hash = chain_hash(three[2].hash, audit_chained_content(forged))
    forged.save()
    out, ok = verify()
    assert not ok
    assert "chain head" in out


def test_erasure_keeps_the_chain_verifiable(three, alice, carol):
    person_erase(person=alice)
    assert AuditEntry.objects.get(pk=three[1].pk).target == "example.com"
    out, ok = verify()
    assert ok, out


def test_the_migration_chains_entries_recorded_before(carol):
    AuditEntry.objects.create(actor_name="Carol Admin", action="charter_published", target="v1")
    AuditEntry.objects.create(actor_name="system", action="x", details={"a": "b"})
    ChainHead.objects.filter(name="audit").delete()
    assert list(audit_verify())  # not chained yet
    migration.chain_existing_entries(apps, None)
    assert list(audit_verify()) == []
    audit_record(actor=carol, action="after", target="")
    assert list(audit_verify()) == []


def test_writers_at_the_same_moment_never_fork_the_chain(transactional_db):
    """Eight writers, each recording ten entries at once: every entry links to the one before
    it, because each writer holds the chain's head while it links (a row lock on PostgreSQL;
    SQLite's transactions are IMMEDIATE)."""
    import threading

    from django.db import connection

    writers, each = 8, 10
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait()
            for n in range(each):
                audit_record(actor=None, action="concurrent", target=f"{number}-{n}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEntry.objects.count() == writers * each
    assert len(set(AuditEntry.objects.values_list("previous_hash", flat=True))) == writers * each
    assert list(audit_verify()) == []


def test_erasure_reduces_the_name_in_the_details_and_the_chain_still_verifies(
    client_for, alice, carol
):
    """A `person_changed` keeps the name before and after: after erasure neither is left, in
    the entries about the person nor in those they made, and the chain verifies."""
    from django.urls import reverse

    client_for(carol).post(
        reverse("accounts:person_edit", args=[alice.pk]),
        {"full_name": "Alice Nouveau-Nom", "role": "ambassador"},
    )
    changed = AuditEntry.objects.get(action="person_changed")
    assert changed.details["changes"]["full_name"] == ["Alice Martin", "Alice Nouveau-Nom"]
    audit_record(actor=alice, action="note", target="", about="alice@example.com wrote this")
    audit_record(actor=carol, action="other", target="", about="Carol's own entry")
    alice.refresh_from_db()
    person_erase(person=alice)

    text = json.dumps(list(AuditEntry.objects.values_list("details", flat=True)))
    for word in ("Alice", "alice@example.com", "Nouveau"):
        assert word not in text
    changed.refresh_from_db()
    assert changed.details["changes"]["full_name"] == ["example.com", "example.com"]
    assert AuditEntry.objects.get(action="other").details == {"about": "Carol's own entry"}
    out, ok = verify()
    assert ok, out


def test_changed_details_are_found_through_their_digest(three):
    AuditEntry.objects.filter(pk=three[2].pk).update(details={"role": "admin"})
    out, ok = verify()
    assert not ok
    assert f"entry {three[2].pk}: its details were changed" in out
