"""Choice fields over ids: a value that is not a database id (past 2^63, "²") is an invalid
choice, refused before any query (SQLite overflows on it, a 500)."""

from __future__ import annotations

from typing import Any

from django import forms

from portevoix.core.params import id_param


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and id_param(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdChoicesField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if id_param(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)
