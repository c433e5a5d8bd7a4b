"""Cursor pagination: newest first, by id. A cursor names the last id seen, so pages stay
right while rows are added (an offset would skip or repeat them) and each page is one indexed
query however deep it is."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from portevoix.api.problems import ApiProblem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=100)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _colon, value = text.partition(":")
        last_id = int(value)
        if kind != "id" or last_id < 1:
            raise ValueError(text)
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:
        raise ApiProblem(
            400, "bad-cursor", _("This cursor is not one this API gave: start again without it.")
        ) from error
    return last_id


def page_of(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, shape: Callable[[M], Any]
) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiProblem(
            400,
            "bad-limit",
            _("The limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
        )
    rows = queryset.order_by("-pk")
    if cursor:
        rows = rows.filter(pk__lt=_decode(cursor))
    found = list(rows[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return {
        "items": [shape(row) for row in found],
        "next_cursor": _encode(found[-1].pk) if more and found else None,
    }
