"""The compliance archive: every share is archived as it was, in its own hash chain that
`manage.py archive_verify` checks; a period exports as CSV or JSON lines (recorded in the audit
log) for admins and data-protection officers only; erasure clears who and what but keeps the
chain verifiable."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.privacy import person_erase
from portevoix.connections.models import Publication
from portevoix.content.tests.factories import make_post
from portevoix.core.models import AuditEntry
from portevoix.core.tests.roles import WHO, assert_refused, client_as
from portevoix.sharing.models import ArchiveEntry, Share
from portevoix.sharing.shares import share_create, share_record_confirmed
from portevoix.tracking.links import tracked_link_for

TODAY = timezone.localdate()


@pytest.fixture
def shared(alice, bob):
    post = make_post("Nos éoliennes")
    first = share_create(person=alice, post=post, network="linkedin", text="=Fière de nos équipes")
    second = share_create(person=bob, post=post, network="x", text="Un beau projet")
    return [first.share, second.share]


def verify() -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("archive_verify", stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_each_share_is_archived_as_it_was(shared, alice):
    entry = ArchiveEntry.objects.get(share=shared[0])
    assert entry.person_name == "Alice Martin <alice@example.com>"
    assert entry.network == "linkedin"
    assert entry.post_title == "Nos éoliennes"
    assert entry.link == shared[0].tracked_link.short_url
    assert entry.text == "=Fière de nos équipes"
    assert entry.at == shared[0].created_at
    second = ArchiveEntry.objects.get(share=shared[1])
    assert second.previous_hash == entry.hash
    out, ok = verify()
    assert ok and "intact" in out


def test_a_connected_publication_is_archived_when_recorded(shared, alice):
    post = shared[0].post
    link = tracked_link_for(post=post, ambassador=alice, network="mastodon")
    share = share_record_confirmed(
        person=alice, post=post, network="mastodon", text="Publié", link=link, at=timezone.now()
    )
    entry = ArchiveEntry.objects.get(share=share)
    assert (entry.network, entry.text, entry.link) == ("mastodon", "Publié", link.short_url)
    assert entry.previous_hash == ArchiveEntry.objects.get(share=shared[1]).hash
    out, ok = verify()
    assert ok, out


def test_the_migration_archives_connected_shares_missed_before(shared, alice, bob):
    post = shared[0].post
    link = tracked_link_for(post=post, ambassador=bob, network="mastodon")
    missed = Share.objects.create(  # as share_record_confirmed did: no archive entry
        post=post, person=bob, network="mastodon", text="Publié", tracked_link=link
    )
    Publication.objects.create(
        person=bob,
        post=post,
        network="mastodon",
        text="Publié",
        tracked_link=link,
        share=missed,
        scheduled_at=missed.created_at,
        next_attempt_at=missed.created_at,
        status="published",
        idempotency_key="missed",
    )
    migration = importlib.import_module(
        "portevoix.sharing.migrations.0006_archive_connected_shares"
    )
    migration.archive_connected_shares(apps, None)
    migration.archive_connected_shares(apps, None)  # once only
    entry = ArchiveEntry.objects.get(share=missed)
    assert entry.person_name == "Bob Durand <bob@example.com>"
    assert (entry.text, entry.link, entry.at) == ("Publié", link.short_url, missed.created_at)
    assert entry.previous_hash == ArchiveEntry.objects.get(share=shared[1]).hash
    assert ArchiveEntry.objects.count() == 3
    out, ok = verify()
    assert ok, out


def test_a_changed_text_is_found(shared):
    entry = ArchiveEntry.objects.get(share=shared[0])
    ArchiveEntry.objects.filter(pk=entry.pk).update(text="Autre chose")
    out, ok = verify()
    assert not ok and f"entry {entry.pk}: its text was changed" in out


def test_a_changed_network_is_found(shared):
    entry = ArchiveEntry.objects.get(share=shared[0])
    ArchiveEntry.objects.filter(pk=entry.pk).update(network="facebook")
    out, ok = verify()
    assert not ok and f"entry {entry.pk}: its content does not match its hash" in out


def test_a_deleted_entry_is_found(shared):
    first, second = ArchiveEntry.objects.order_by("id")
    first.delete()
    out, ok = verify()
    assert not ok and f"entry {second.pk}: links to" in out


def test_erasure_clears_who_and_what_and_the_chain_still_verifies(shared, alice):
    person_erase(person=alice)
    entry = ArchiveEntry.objects.get(share=shared[0])
    assert (entry.person_id, entry.person_name, entry.text, entry.erased) == (None, "", "", True)
    assert ArchiveEntry.objects.get(share=shared[1]).text == "Un beau projet"
    out, ok = verify()
    assert ok, out


def _export(client, fmt: str, since=TODAY, until=TODAY):
    return client.get(
        reverse("sharing:archive"),
        {"since": since.isoformat(), "until": until.isoformat(), "format": fmt},
    )


def test_the_csv_export_lists_the_period_and_is_recorded(client_for, carol, shared):
    ArchiveEntry.objects.filter(share=shared[1]).update(at=timezone.now() - timedelta(days=40))
    response = _export(client_for(carol), "csv")
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "entry",
        "at",
        "person",
        "network",
        "post_id",
        "post",
        "link",
        "text",
        "hash",
    ]
    assert len(rows) == 2
    assert rows[1][2] == "Alice Martin <alice@example.com>"
    assert rows[1][7] == "'=Fière de nos équipes"  # never run as a formula by a spreadsheet
    entry = AuditEntry.objects.get(action="archive_exported")
    assert entry.actor == carol
    assert entry.details == {"format": "csv", "entries": "1"}


def test_the_json_lines_export_carries_the_chain(client_for, carol, shared):
    response = _export(client_for(carol), "jsonl")
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["network"] for r in records] == ["linkedin", "x"]
    assert records[1]["previous_hash"] == records[0]["hash"]
    assert records[0]["text"] == "=Fière de nos équipes"


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-05-02", "until": "2026-05-01", "format": "csv"},
        {"since": "2026-13-01", "until": "2026-05-01", "format": "csv"},
        {"since": "2026-05-01", "until": "2026-05-02", "format": "pdf"},
        {"since": "2026-05-01", "format": "csv"},
        {"since": "2026-01-01", "until": "9999-12-31", "format": "csv"},
        {"since": "0001-01-01", "until": "2026-01-01", "format": "jsonl"},
    ],
)
def test_a_bad_period_or_format_says_so_and_exports_nothing(client_for, carol, shared, query):
    response = client_for(carol).get(reverse("sharing:archive"), query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not AuditEntry.objects.filter(action="archive_exported").exists()


@pytest.mark.parametrize("who", WHO)
def test_only_admins_and_data_protection_officers_export(request, shared, who):
    client = client_as(request, who)
    page = client.get(reverse("sharing:archive"))
    export = _export(client, "csv")
    if who == "carol":
        assert page.status_code == 200 and export.status_code == 200
    else:
        assert_refused(page, who)
        assert_refused(export, who)
        assert not AuditEntry.objects.filter(action="archive_exported").exists()
