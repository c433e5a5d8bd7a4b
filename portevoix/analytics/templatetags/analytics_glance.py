"""How a key figure reads on its tile: grouped digits (12 480, not 12480), a dash when the
figure is not measured for the selection."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: Decimal | float | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)
