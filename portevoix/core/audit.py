"""The audit log of admin and editor actions (PRODUCT.md, Trust; docs/governance.md).

`audit_record` writes one entry; `audit_change` writes one with a before/after summary of what an
admin or editor changed, made from two `model_snapshot`s. Every entry is a link of the audit
hash chain (core/chain.py); `audit_verify` finds where it was broken.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from portevoix.core.chain import (
    ChainBreak,
    chain_append,
    chain_canonical,
    chain_purge,
    chain_salt,
    chain_verify,
    salted_digest,
)
from portevoix.core.models import AuditEntry

if TYPE_CHECKING:
    # A name for the type checker only: core sits below accounts and reaches the person model
    # through AUTH_USER_MODEL (docs/architecture.md).
    from portevoix.accounts.models import Person

CHAIN = "audit"

# A field whose name holds one of these words is a secret: the log says it changed, never what
# it was or became (not even a digest, which a short secret could be guessed back from).
SECRET_WORDS = ("password", "token", "secret", "key", "digest", "sealed", "private", "salt")
CHANGED = "changed"
# What a snapshot keeps of a secret: enough to tell that it changed, nothing of its value.
_SECRET_MARK = "secret:"


def audit_chained_content(entry: AuditEntry) -> dict[str, Any]:
    """What the chain covers: everything but the names themselves, which it covers through their
    salted digests (erasure may reduce the names)."""
    content = {
        "at": entry.at.astimezone(UTC).isoformat(),
        "action": entry.action,
        "actor": entry.actor_digest,
        "target": entry.target_digest,
    }
    if entry.details_digest:
        content["details_digest"] = entry.details_digest
    else:  # written before the details had their digest: chained as they are
        content["details"] = entry.details
    return content


def _details_digest(salt: str, details: Mapping[str, Any]) -> str:
    return salted_digest(salt, chain_canonical(dict(details)).decode())


def _is_secret(field_name: str) -> bool:
    return any(word in field_name.lower() for word in SECRET_WORDS)


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_shown(v) for v in value]
    return str(value)


def model_snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of `obj` as the log shows them: concrete fields (a foreign key by the text of
    its target), many-to-many fields as sorted names. A secret field is kept as a fingerprint
    `audit_change` only compares."""
    skipped = set(exclude)
    snapshot: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skipped or field.primary_key:
            continue
        if field.is_relation:
            value: Any = str(getattr(obj, field.name) or "") if getattr(obj, field.attname) else ""
        else:
            value = getattr(obj, field.attname)
        if _is_secret(field.name):
            digest = hashlib.sha256(str(value).encode()).hexdigest()
            snapshot[field.name] = _SECRET_MARK + digest
        else:
            snapshot[field.name] = _shown(value)
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            if m2m.name not in skipped:
                snapshot[m2m.name] = sorted(str(o) for o in getattr(obj, m2m.name).all())
    return snapshot


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as [before, after]; a secret as "changed"."""
    changed: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        secret = _is_secret(name) or any(
            isinstance(v, str) and v.startswith(_SECRET_MARK) for v in (old, new)
        )
        changed[name] = CHANGED if secret else [_shown(old), _shown(new)]
    return changed


def audit_record(
    *,
    actor: Person | None,
    action: str,
    target: object = "",
    changes: Mapping[str, Any] | None = None,
    **details: object,
) -> AuditEntry:
    """Record one action. `details` are shown as text; `changes` is a before/after summary
    (`changes_between`), kept as it is."""
    shown: dict[str, Any] = {k: str(v) for k, v in details.items()}
    if changes:
        shown["changes"] = dict(changes)
    actor_name = str(actor) if actor else "system"
    target_text = str(target)[:200]
    salt = chain_salt()
    entry = AuditEntry(
        actor=actor,
        actor_name=actor_name,
        action=action,
        target=target_text,
        target_person=target if isinstance(target, get_user_model()) else None,
        details=shown,
        salt=salt,
        actor_digest=salted_digest(salt, actor_name),
        target_digest=salted_digest(salt, target_text),
        details_digest=_details_digest(salt, shown),
    )
    return chain_append(CHAIN, entry, audit_chained_content)


def audit_change(
    *,
    actor: Person | None,
    action: str,
    target: object,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    **details: object,
) -> AuditEntry:
    """Record a change made by an admin or editor with what changed (`model_snapshot` before
    and after; an empty `before` for a creation, an empty `after` for a deletion)."""
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        changes=changes_between(before, after),
        **details,
    )


def audit_verify() -> Iterator[ChainBreak]:
    """Every break of the audit chain, then every entry whose names no longer match their
    digests without having been erased."""
    yield from chain_verify(
        CHAIN, AuditEntry.objects.order_by("id").iterator(), audit_chained_content
    )
    for entry in AuditEntry.objects.filter(erased=False).order_by("id").iterator():
        for field, digest in (("actor_name", entry.actor_digest), ("target", entry.target_digest)):
            if salted_digest(entry.salt, getattr(entry, field)) != digest:
                yield ChainBreak(
                    entry.pk, f"its {field} was changed (it no longer matches its digest)"
                )
        if entry.details_digest and _details_digest(entry.salt, entry.details) != (
            entry.details_digest
        ):
            yield ChainBreak(
                entry.pk, "its details were changed (they no longer match their digest)"
            )


def audit_erase_names(
    entries: models.QuerySet[AuditEntry],
    *,
    words: Iterable[str] = (),
    fields: Iterable[str] = (),
    replacement: str = "",
    whole: bool = False,
    **names: object,
) -> None:
    """Reduce the names of these entries (erasure, core/privacy.py): the salt goes too, so the
    chained digests can no longer be tied to the old names, and `erased` says it was on purpose.
    A text of their details holding one of `words` (the person's name, e-mail), and every text
    under one of `fields` (a name they had before), becomes `replacement`; the chain covers
    those details through their digest. Entries written before the details had a digest keep
    theirs: the chain covers them as they are. `whole`: a text goes only when it is one of
    `words` whole (a name in a list of names), not when it holds one."""
    found = [word.casefold() for word in words if len(word) >= 3]
    keys = frozenset(fields)
    if found or keys:
        for entry in entries.exclude(details_digest="").only("pk", "details"):
            reduced = _reduced(entry.details, found, keys, replacement, whole)
            if reduced != entry.details:
                AuditEntry.objects.filter(pk=entry.pk).update(details=reduced)
    entries.update(salt="", erased=True, **names)


def _reduced(
    value: Any, words: list[str], keys: frozenset[str], replacement: str, whole: bool = False
) -> Any:
    if isinstance(value, str):
        text = value.casefold()
        hit = text in words if whole else any(word in text for word in words)
        return replacement if hit else value
    if isinstance(value, list):
        return [_reduced(v, words, keys, replacement, whole) for v in value]
    if isinstance(value, dict):
        # Under one of `keys`, every text goes: the empty word is in any text.
        return {
            k: _reduced(v, [""] if k in keys else words, keys, replacement, whole and k not in keys)
            for k, v in value.items()
        }
    return value


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> models.QuerySet[AuditEntry]:
    """The log, newest first, filtered: by words of the actor's or the object's name, by
    action, by a period of days (both ends included, in the organisation's time zone)."""
    entries = AuditEntry.objects.all()
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if target:
        entries = entries.filter(target__icontains=target)
    if since:
        entries = entries.filter(at__gte=day_start(since))
    if until:
        entries = entries.filter(at__lt=day_start(until + timedelta(days=1)))
    return entries.order_by("-at", "-id")


def day_start(day: date) -> datetime:
    """Midnight of `day` in the organisation's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_actions() -> list[str]:
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_details_text(entry: AuditEntry) -> str:
    """The details as one line: `key: value`, and each change as `field: before → after`."""
    parts = []
    for key, value in entry.details.items():
        if key == "changes" and isinstance(value, dict):
            for field, change in value.items():
                if isinstance(change, list) and len(change) == 2:
                    parts.append(f"{field}: {_text(change[0])} → {_text(change[1])}")
                else:
                    parts.append(f"{field}: {change}")
        else:
            parts.append(f"{key}: {value}")
    return "; ".join(parts)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "∅"
    return str(value)


def rows_snapshot(rows: Iterable[models.Model], **options: Any) -> dict[str, Any]:
    """Several rows (a formset's: brand channels, media rates), each by its text, as one
    snapshot: a row added, removed or changed shows as one changed key."""
    return {f"{row} (#{row.pk})": model_snapshot(row, **options) for row in rows}


def audit_purge(older_than: datetime) -> int:
    """Retention: the entries older than the cut-off go; the chain keeps a checkpoint."""
    return chain_purge(CHAIN, AuditEntry.objects.all(), older_than=older_than, at_field="at")
