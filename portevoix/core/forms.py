"""Form fields every app shares."""

from __future__ import annotations

from typing import Any

from django import forms


def one_line(text: str) -> str:
    """Line breaks, tabs and runs of spaces become one space, and the ends are trimmed: a title,
    a name or an e-mail subject is a single line (mail headers refuse line breaks outright)."""
    return " ".join(text.split())


class OneLineField(forms.CharField):
    """A title or a name. A text input cannot hold a line break, but a paste into it, a forged
    POST or a script can: whatever arrives is made one line before it is validated and saved.
    In a ModelForm: `field_classes = {"title": OneLineField}` keeps the model's label and length.
    """

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return one_line(value) if isinstance(value, str) else value
