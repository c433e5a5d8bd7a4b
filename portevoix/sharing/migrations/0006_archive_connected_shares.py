"""Shares published through connected accounts were not archived (share_record_confirmed did not
call archive_record): those still missing enter the archive now, oldest first, linked after the
chain's newest entry. Written out with the historical models, as sharing/archive.py records a
share today (the service works on the current models, which a migration must not use)."""

import hashlib
import json
import secrets
from datetime import UTC

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64


def _digest(salt, text):
    return hashlib.sha256(f"{salt}\n{text}".encode()).hexdigest()


def archive_connected_shares(apps, schema_editor):
    Share = apps.get_model("sharing", "Share")
    ArchiveEntry = apps.get_model("sharing", "ArchiveEntry")
    ChainHead = apps.get_model("core", "ChainHead")
    Person = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    missed = (
        Share.objects.filter(archive_entry__isnull=True, publication__isnull=False)
        .select_related("post", "tracked_link")
        .order_by("created_at", "id")
    )
    if not missed.exists():
        return
    head, _ = ChainHead.objects.get_or_create(name="archive")
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    previous = head.last_hash or GENESIS
    last_id = head.last_id
    names = {
        pk: f"{full_name or email} <{email}>"
        for pk, full_name, email in Person.objects.filter(
            pk__in=missed.values("person_id")
        ).values_list("pk", "full_name", "email")
    }
    for share in missed.iterator():
        salt = secrets.token_hex(16)
        person_name = names.get(share.person_id, "")
        link = f"{settings.SITE_URL}/s/{share.tracked_link.code}" if share.tracked_link else ""
        entry = ArchiveEntry(
            share=share,
            person_id=share.person_id,
            person_name=person_name,
            network=share.network,
            at=share.created_at,
            post_id_copy=share.post_id,
            post_title=share.post.title[:300],
            link=link,
            text=share.text,
            salt=salt,
            person_digest=_digest(salt, person_name),
            text_digest=_digest(salt, share.text),
            erased=share.person_id is None,
        )
        content = {
            "at": entry.at.astimezone(UTC).isoformat(),
            "network": entry.network,
            "post": entry.post_id_copy,
            "post_title": entry.post_title,
            "link": entry.link,
            "person": entry.person_digest,
            "text": entry.text_digest,
        }
        canonical = json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        ).encode()
        entry.previous_hash = previous
        entry.hash = hashlib.sha256(previous.encode() + b"\n" + canonical).hexdigest()
        entry.save()
        previous, last_id = entry.hash, entry.pk
    head.last_hash, head.last_id = previous, last_id
    head.save(update_fields=["last_hash", "last_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("connections", "0001_initial"),
        ("core", "0003_audit_chain_retention"),
        ("sharing", "0005_compliance_archive"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(archive_connected_shares, migrations.RunPython.noop),
    ]
