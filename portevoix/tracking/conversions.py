"""Conversions: the company site reports a goal reached after a click, by its click id.

The click id (`pv_click` in the destination URL) carries 88 random bits: only someone who
followed the link knows it. A click still waiting in the inbox is found there too, since the company
site often reports before ingestion has run.

The rule (docs/metrics.md): one conversion per click and goal. The label only describes it (a
form's name, say): another label is not another conversion, or anyone holding a click id could
make as many as they like. The unique constraint on (click, goal) keeps it so under concurrency.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person
from portevoix.tracking.classify import Classifier
from portevoix.tracking.hotpath.app import click_id_second
from portevoix.tracking.inbox import inbox_find, inbox_is_postgres
from portevoix.tracking.ingest import attributions_for
from portevoix.tracking.models import (
    Click,
    ClickKind,
    Conversion,
    ConversionKey,
    Goal,
)
from portevoix.tracking.rollups import Attribution, conversion_rollups_add
from portevoix.tracking.scanners import SCANNER_MARK
from portevoix.tracking.signals import conversion_recorded

MAX_BODY = 4096
CLICK_ID = re.compile(r"[A-Za-z0-9_-]{20}\Z")
KEY_PREFIX = "pvk_"


class ConversionError(Exception):
    """A refused report: an HTTP status, a stable code for programs, a sentence for people."""

    def __init__(self, status: int, code: str, message: str, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after  # seconds, for a Retry-After header (0: none)


@dataclass(frozen=True)
class ConversionReport:
    click_id: str
    goal: str
    label: str


def too_large() -> ConversionError:
    return ConversionError(413, "too_large", _("The request body is too large."))


def conversion_parse(body: bytes) -> ConversionReport:
    """`{"click": "<click id>", "goal": "job_application", "label": "optional"}`."""
    if len(body) > MAX_BODY:
        raise too_large()
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # RecursionError: a few kilobytes of nested brackets go deeper than the parser can.
        raise ConversionError(400, "malformed", _("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise ConversionError(400, "malformed", _("The body must be a JSON object."))
    click_id, goal, label = data.get("click"), data.get("goal"), data.get("label", "")
    if not isinstance(click_id, str) or not CLICK_ID.match(click_id):
        raise ConversionError(
            400, "invalid_click", _("“click” must be the pv_click value of the visit.")
        )
    if not isinstance(goal, str) or goal not in Goal.values:
        raise ConversionError(
            400,
            "invalid_goal",
            _("“goal” must be one of: %(goals)s.") % {"goals": ", ".join(Goal.values)},
        )
    if not isinstance(label, str) or len(label) > 80 or not _printable(label):
        raise ConversionError(
            400, "invalid_label", _("“label” must be one line of text, 80 characters at most.")
        )
    label = label.strip()
    if goal == Goal.CUSTOM and not label:
        raise ConversionError(400, "invalid_label", _("A custom goal needs a “label”."))
    return ConversionReport(click_id=click_id, goal=goal, label=label)


def _printable(text: str) -> bool:
    """No control character (NUL cannot even be stored by PostgreSQL) and no lone surrogate
    (JSON's "\\ud800", which no database can encode): one line of real text."""
    return not any(unicodedata.category(char) in ("Cc", "Cs") for char in text)


def _click_origin(click_id: str) -> tuple[Attribution, float, bool] | None:
    """(where the click counts, when it happened, whether a person made it) or None."""
    click = Click.objects.filter(click_id=click_id).values_list("link__code", "at", "kind").first()
    if click is not None:
        code, at, kind = click
        attribution = attributions_for({code}).get(code)
        human = kind in (ClickKind.VERIFIED, ClickKind.REPEAT)
        return (attribution, at.timestamp(), human) if attribution else None
    raw = inbox_find(click_id)
    if raw is None:
        return None
    attribution = attributions_for({raw.code}).get(raw.code)
    if attribution is None:
        return None
    classifier = Classifier()
    bot, scanner, _device = classifier.agent(raw.user_agent)
    human = (
        not bot
        and not scanner
        and raw.self_token != SCANNER_MARK
        and not classifier.is_self(raw.self_token, attribution.ambassador_id)
    )
    return attribution, raw.at, human


# With several web nodes, a click waits in its node's spool for a few milliseconds before the
# inbox table has it (spool.py), longer if that node cannot reach the database for a while: a
# report for a click id made that recently and found nowhere is answered "try again", not
# "unknown". A forged id of the last minute only gets that answer for a minute.
IN_TRANSIT_SECONDS = 60


def _maybe_in_transit(click_id: str, now: datetime) -> bool:
    if not inbox_is_postgres():
        return False  # one machine: a click's 302 waits for its inbox record
    # Seconds since the id was made; ids keep the second modulo 2³², hence the wrap-around.
    age = (int(now.timestamp()) - click_id_second(click_id)) % 2**32
    if age >= 2**31:
        age -= 2**32
    return -5 <= age <= IN_TRANSIT_SECONDS  # a few seconds ahead: another node's clock


def conversion_record(
    *, report: ConversionReport, source: str, now: datetime | None = None
) -> Conversion:
    """Attribute the goal to the click's ambassador, post, network and campaign: once per click
    and goal, whatever the label (409 `already_recorded` after that, nothing changed)."""
    now = now or timezone.now()
    origin = _click_origin(report.click_id)
    if origin is None:
        if _maybe_in_transit(report.click_id, now):
            raise ConversionError(
                503,
                "click_in_transit",
                _("This click may still be on its way from another server: try again."),
                retry_after=1,
            )
        raise ConversionError(404, "unknown_click", _("No click has this id."))
    attribution, clicked_at, human = origin
    clicked = datetime.fromtimestamp(clicked_at, UTC)
    if now - clicked > timedelta(days=settings.CONVERSION_WINDOW_DAYS):
        raise ConversionError(
            422,
            "too_late",
            _("This click is more than %(days)d days old: it cannot convert anymore.")
            % {"days": settings.CONVERSION_WINDOW_DAYS},
        )
    try:
        with transaction.atomic():
            conversion = Conversion.objects.create(
                click_id=report.click_id,
                link_id=attribution.link_id,
                goal=report.goal,
                label=report.label,
                source=source,
                counted=human,
                at=now,
            )
            if human:
                conversion_rollups_add(
                    attribution=attribution, goal=report.goal, at=now.timestamp()
                )
            transaction.on_commit(
                lambda: conversion_recorded.send(sender=Conversion, conversion=conversion)
            )
    except IntegrityError:
        raise ConversionError(
            409, "already_recorded", _("This goal was already reported for this click.")
        ) from None
    return conversion


# --- API keys -----------------------------------------------------------------------------


def conversion_receipt(conversion: Conversion) -> dict[str, object]:
    """What a caller is told about a recorded conversion (the endpoint and the REST API)."""
    link = conversion.link
    campaign = link.post.campaign
    return {
        "status": "recorded",
        "counted": conversion.counted,
        "goal": conversion.goal,
        "post": link.post_id,
        "ambassador": link.ambassador_id,
        "network": link.network,
        "campaign": campaign.utm_campaign if campaign is not None else None,
    }


def _digest(raw: str) -> str:
    # The key is 256 random bits: a fast hash is enough, nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def conversion_key_create(*, name: str, created_by: Person | None) -> tuple[ConversionKey, str]:
    """A new key; the raw value is returned once and never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ConversionKey.objects.create(
        name=name, prefix=raw[:10], key_hash=_digest(raw), created_by=created_by
    )
    return key, raw


def conversion_key_check(raw: str) -> ConversionKey | None:
    if not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    key = ConversionKey.objects.filter(key_hash=_digest(raw), revoked_at__isnull=True).first()
    if key is not None:
        ConversionKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def conversion_key_revoke(*, key: ConversionKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
