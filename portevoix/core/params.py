"""Reading ids from query strings: anything but a plain ASCII number is no id at all."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is true); fits a BIGINT


def id_param(value: str | None) -> int | None:
    """The id `value` spells, or None (missing, not a number, or beyond any database id)."""
    if value is None or not _ID.fullmatch(value):
        return None
    return int(value)
