"""Validators for single-line text that people type: names of people, groups, titles.

Other apps (and any API) call `validate_single_line` on what they store as a one-line value.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 (including tab, CR and LF), DEL, C1, and Unicode's own line and paragraph separators:
# none belongs in a name. They break e-mail headers, spreadsheets (openpyxl refuses them) and
# CSV files, and can hide text on screen.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def validate_single_line(value: str) -> None:
    """Refuse control characters and line breaks in a one-line value."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _(
                "Use letters, digits and punctuation only: no line breaks, tabs or control characters."
            ),
            code="control_characters",
        )
