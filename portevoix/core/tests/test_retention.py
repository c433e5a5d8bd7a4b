"""Retention for every kind of data: each purge removes what is older than its period and keeps
the rest and the aggregates; the daily task says what it removed (log and audit log); an admin
sets the periods within their bounds on the retention page, and only an admin."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portevoix.content.tests.factories import make_post
from portevoix.core.audit import audit_record, audit_verify
from portevoix.core.models import AuditEntry, ChainHead, RetentionPeriod
from portevoix.core.retention import (
    RetentionError,
    retention_days,
    retention_kinds,
    retention_purge,
    retention_set,
)
from portevoix.core.tasks import retention_purge_daily
from portevoix.core.tests.roles import WHO, assert_refused, client_as
from portevoix.notifications.models import Channel, ChannelDelivery, DigestSent, Notification
from portevoix.sharing.archive import archive_verify
from portevoix.sharing.models import ArchiveEntry, Share
from portevoix.sharing.shares import share_create
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Conversion
from portevoix.veille.models import Item, Source
from portevoix.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

NOW = timezone.now()
OLD = NOW - timedelta(days=4000)  # beyond every kind's longest period


def test_every_kind_the_issue_names_is_registered():
    assert {kind.code for kind in retention_kinds()} == {
        "audit_entries",
        "clicks",
        "conversions",
        "notifications",
        "outbox",
        "veille_items",
        "share_texts",
        "archive",
        "webhook_deliveries",
    }


def test_old_notifications_go_recent_ones_stay(alice):
    old = Notification.objects.create(person=alice, kind="system", title="old", created_at=OLD)
    recent = Notification.objects.create(person=alice, kind="system", title="recent")
    assert retention_purge(now=NOW)["notifications"] == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_the_outbox_loses_old_sent_messages_digests_and_mail_files(alice, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    channel = Channel.objects.create(kind="slack", name="#a", webhook_url="https://x.test/h")
    ChannelDelivery.objects.create(channel=channel, title="sent", status="sent", created_at=OLD)
    waiting = ChannelDelivery.objects.create(channel=channel, title="w", created_at=OLD)
    kept = ChannelDelivery.objects.create(channel=channel, title="new", status="sent")
    DigestSent.objects.create(person=alice, period="2015-W01", sent_at=OLD)
    DigestSent.objects.create(person=alice, period="2026-W49")
    old_mail, new_mail = tmp_path / "old.log", tmp_path / "new.log"
    old_mail.write_text("Subject: old")
    new_mail.write_text("Subject: new")
    os.utime(old_mail, (OLD.timestamp(), OLD.timestamp()))
    assert retention_purge(now=NOW)["outbox"] == 3  # one message, one digest, one file
    assert set(ChannelDelivery.objects.values_list("pk", flat=True)) == {waiting.pk, kept.pk}
    assert list(DigestSent.objects.values_list("period", flat=True)) == ["2026-W49"]
    assert not old_mail.exists() and new_mail.exists()


def test_old_veille_items_go_with_their_mentions(db):
    source = Source.objects.create(name="Blog", url="https://blog.test/rss")
    for title, fetched in (("old", OLD), ("new", NOW)):
        Item.objects.create(
            source=source, title=title, title_date_key=title, dated_at=fetched, fetched_at=fetched
        )
    assert retention_purge(now=NOW)["veille_items"] == 1
    assert list(Item.objects.values_list("title", flat=True)) == ["new"]


def test_old_shares_lose_their_text_and_stay_counted(alice):
    post = make_post()
    old = share_create(person=alice, post=post, network="linkedin", text="Mon vieux texte").share
    Share.objects.filter(pk=old.pk).update(created_at=OLD)
    new = share_create(person=alice, post=post, network="x", text="Mon texte récent").share
    assert retention_purge(now=NOW)["share_texts"] == 1
    assert Share.objects.count() == 2
    assert Share.objects.get(pk=old.pk).text == ""
    assert Share.objects.get(pk=new.pk).text == "Mon texte récent"


def test_old_conversions_go(alice):
    link = tracked_link_for(post=make_post(), ambassador=alice, network="linkedin")
    Conversion.objects.create(click_id="a" * 24, link=link, goal="lead", source="api", at=OLD)
    Conversion.objects.create(click_id="b" * 24, link=link, goal="lead", source="api")
    assert retention_purge(now=NOW)["conversions"] == 1
    assert list(Conversion.objects.values_list("click_id", flat=True)) == ["b" * 24]


def test_old_webhook_deliveries_go_unless_still_retried(db):
    endpoint = WebhookEndpoint.objects.create(name="CRM", url="https://x.test/h", events=[])
    done = WebhookEvent.objects.create(uid="msg_1", type="post.published", data={})
    retried = WebhookEvent.objects.create(uid="msg_2", type="post.published", data={})
    WebhookEvent.objects.filter(pk__in=[done.pk, retried.pk]).update(created_at=OLD)
    WebhookDelivery.objects.create(
        endpoint=endpoint, event=done, status="delivered", retry_until=OLD, created_at=OLD
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, event=retried, status="pending", retry_until=NOW, created_at=OLD
    )
    assert retention_purge(now=NOW)["webhook_deliveries"] == 1
    assert list(WebhookDelivery.objects.values_list("event__uid", flat=True)) == ["msg_2"]
    assert list(WebhookEvent.objects.values_list("uid", flat=True)) == ["msg_2"]


def test_purging_the_audit_log_keeps_the_chain_verifiable(carol):
    entries = [audit_record(actor=carol, action=f"a{n}", target="x") for n in range(4)]
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(at=OLD)
    removed = retention_purge(now=NOW)
    assert removed["audit_entries"] == 2
    head = ChainHead.objects.get(name="audit")
    assert head.checkpoint_id == entries[1].pk and head.checkpoint_hash == entries[1].hash
    assert list(audit_verify()) == []
    # Without the checkpoint, the first kept entry would link to nothing known.
    ChainHead.objects.filter(name="audit").update(checkpoint_hash="0" * 64)
    assert [b.entry_id for b in audit_verify()] == [entries[2].pk]


def test_purging_the_archive_keeps_its_chain_verifiable(alice):
    post = make_post()
    for network in ("linkedin", "x", "facebook"):
        share_create(person=alice, post=post, network=network, text=f"Sur {network}")
    first = ArchiveEntry.objects.order_by("id").first()
    ArchiveEntry.objects.filter(pk=first.pk).update(at=OLD)
    assert retention_purge(now=NOW)["archive"] == 1
    assert ArchiveEntry.objects.count() == 2
    assert list(archive_verify()) == []


def test_the_daily_task_logs_and_records_what_it_removed(alice, caplog):
    Notification.objects.create(person=alice, kind="system", title="old", created_at=OLD)
    with caplog.at_level(logging.INFO, logger="portevoix.core.retention"):
        retention_purge_daily.call_local()
    assert "notifications=1" in caplog.text
    entry = AuditEntry.objects.get(action="retention_purged")
    assert entry.actor is None
    assert entry.details["notifications"] == "1"
    assert entry.details["clicks"] == "0"


def test_an_admin_sets_a_period_within_its_bounds_and_it_is_recorded(carol):
    retention_set(actor=carol, days={"notifications": 60})
    assert retention_days("notifications") == 60
    entry = AuditEntry.objects.get(action="retention_changed")
    assert entry.details["changes"] == {"notifications": [180, 60]}


@pytest.mark.parametrize("days", [0, 6, 366, -5])  # the outbox: 7 to 365 days
def test_a_period_out_of_bounds_is_refused_and_changes_nothing(carol, days):
    with translation.override("en"), pytest.raises(RetentionError, match="between 7 and 365 days"):
        retention_set(actor=carol, days={"notifications": 60, "outbox": days})
    assert not RetentionPeriod.objects.exists()
    assert not AuditEntry.objects.filter(action="retention_changed").exists()


def test_the_page_refuses_out_of_bounds_with_a_clear_error(client_for, carol):
    data = {kind.code: retention_days(kind.code) for kind in retention_kinds()}
    data["notifications"] = "5"
    response = client_for(carol).post(reverse("accounts:retention"), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["notifications"]
    assert not RetentionPeriod.objects.exists()
    data["notifications"] = "45"
    response = client_for(carol).post(reverse("accounts:retention"), data)
    assert response.status_code == 302
    assert retention_days("notifications") == 45


@pytest.mark.parametrize("who", WHO)
def test_only_admins_open_the_retention_page(request, db, charter, who):
    client = client_as(request, who)
    response = client.get(reverse("accounts:retention"))
    if who == "carol":
        assert response.status_code == 200
    else:
        assert_refused(response, who)
        data = {kind.code: kind.min_days for kind in retention_kinds()}
        assert_refused(client.post(reverse("accounts:retention"), data), who)
        assert not RetentionPeriod.objects.exists()
