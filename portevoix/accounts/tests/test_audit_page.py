"""The audit log page filters by actor, action, object and period, and exports the same rows as
CSV; the export is itself recorded; bad filters say what is wrong and show nothing."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portevoix.core.audit import audit_change, audit_record
from portevoix.core.models import AuditEntry


def _entries(carol, bob, alice):
    audit_record(actor=carol, action="group_created", target="Grenoble")
    audit_record(actor=bob, action="post_published", target="Launch")
    audit_change(
        actor=carol,
        action="person_changed",
        target=alice,
        before={"role": "ambassador", "password": "a"},
        after={"role": "editor", "password": "b"},
    )
    old = audit_record(actor=carol, action="group_created", target="Lyon")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_filters_narrow_the_list(client_for, carol, bob, alice):
    _entries(carol, bob, alice)
    client = client_for(carol)
    page = client.get(reverse("core:audit_log"), {"actor": "bob"}).content.decode()
    assert "Launch" in page and "Grenoble" not in page
    page = client.get(reverse("core:audit_log"), {"action": "group_created"}).content.decode()
    assert "Grenoble" in page and "Lyon" in page and "Launch" not in page
    page = client.get(reverse("core:audit_log"), {"target": "alice"}).content.decode()
    assert "person_changed" in page and "Grenoble" not in page
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = client.get(reverse("core:audit_log"), {"since": since}).content.decode()
    assert "Grenoble" in page and "Lyon" not in page


def test_the_change_summary_shows_fields_never_secrets(client_for, carol, bob, alice):
    _entries(carol, bob, alice)
    page = client_for(carol).get(reverse("core:audit_log"), {"action": "person_changed"})
    text = page.content.decode()
    assert "role: ambassador → editor" in text
    assert "password: changed" in text


def test_bad_filters_say_so_and_show_nothing(client_for, carol, bob, alice):
    _entries(carol, bob, alice)
    client = client_for(carol)
    response = client.get(reverse("core:audit_log"), {"since": "2026-13-45"})
    assert list(response.context["form"].errors) == ["since"]
    assert "Grenoble" not in response.content.decode()
    response = client.get(reverse("core:audit_log"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.context["form"].non_field_errors()
    before = AuditEntry.objects.count()
    client.get(reverse("core:audit_log_export"), {"action": "nonsense"})
    assert AuditEntry.objects.count() == before


def test_the_csv_export_has_the_filtered_rows_and_is_recorded(client_for, carol, bob, alice):
    _entries(carol, bob, alice)
    response = client_for(carol).get(reverse("core:audit_log_export"), {"actor": "carol"})
    rows = _csv(response)
    assert len(rows[0]) == 7  # entry, when, who, action, about, details, hash
    assert sorted(row[4] for row in rows[1:]) == ["Alice Martin", "Grenoble", "Lyon"]
    recorded = AuditEntry.objects.order_by("-id").first()
    assert recorded.action == "audit_log_exported"
    assert recorded.actor == carol
    assert recorded.details["filters"] == "actor=carol"
