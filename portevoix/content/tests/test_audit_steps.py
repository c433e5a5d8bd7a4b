"""Each step of a post is in the audit log exactly once: the workflow function records it
(content/workflow.py), and the post page that calls it records nothing of its own."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.content.models import PostStatus
from portevoix.content.review import approval_set
from portevoix.content.tests.factories import make_post
from portevoix.core.audit import audit_verify
from portevoix.core.models import AuditEntry


def newest_entry() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def recorded_since(mark: int) -> list[tuple[str, str, str, dict]]:
    return list(
        AuditEntry.objects.filter(id__gt=mark)
        .order_by("id")
        .values_list("action", "actor_name", "target", "details")
    )


def step_on_the_page(client, post, action: str, **form: str) -> list[tuple[str, str, str, dict]]:
    """`client` is the test client logged in as the person taking the step."""
    mark = newest_entry()
    response = client.post(reverse("content:post_action", args=[post.pk, action]), form)
    assert response.status_code == 302
    return recorded_since(mark)


def test_each_step_on_the_post_page_is_recorded_once(client_for, bob, carol):
    approval_set(required=True, by=carol)
    post = make_post("Nos éoliennes", status=PostStatus.DRAFT, author=bob)
    title = str(post)

    assert step_on_the_page(client_for(bob), post, "submit") == [
        ("post_submitted", "Bob Durand", title, {})
    ]
    assert step_on_the_page(client_for(carol), post, "publish", note="Parfait") == [
        ("post_approved", "Carol Admin", title, {"note": "Parfait"}),
        ("post_published", "Carol Admin", title, {}),
    ]
    assert step_on_the_page(client_for(carol), post, "return", note="La date manque") == [
        ("post_returned", "Carol Admin", title, {"note": "La date manque"}),
    ]
    assert step_on_the_page(client_for(bob), post, "archive") == [
        ("post_archived", "Bob Durand", title, {})
    ]
    post.refresh_from_db()
    assert post.status == PostStatus.ARCHIVED
    assert list(audit_verify()) == []

    # The admins' audit log lists the steps, and its CSV export has each one once.
    admin = client_for(carol)
    page = admin.get(reverse("core:audit_log"), {"action": "post_approved"}).content.decode()
    assert "post_approved" in page and "Parfait" in page
    export = admin.get(reverse("core:audit_log_export"), {"target": "éoliennes"})
    text = b"".join(export.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[3] for row in rows[1:]] == [  # newest first
        "post_archived",
        "post_returned",
        "post_published",
        "post_approved",
        "post_submitted",
    ]


def test_a_scheduled_post_is_recorded_once_as_scheduled(client_for, bob):
    post = make_post(
        status=PostStatus.DRAFT, author=bob, published_at=timezone.now() + timedelta(days=1)
    )
    assert step_on_the_page(client_for(bob), post, "publish") == [
        ("post_scheduled", "Bob Durand", str(post), {})
    ]


@pytest.mark.parametrize("action", ["publish", "archive"])
def test_a_refused_step_records_nothing(client_for, bob, action):
    post = make_post(status=PostStatus.ARCHIVED, author=bob)
    assert step_on_the_page(client_for(bob), post, action) == []
