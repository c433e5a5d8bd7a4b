from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SuggestionForm(forms.Form):
    url = forms.CharField(label=_("Link"), max_length=2000, required=False, widget=forms.URLInput)
    text = forms.CharField(
        label=_("Your text"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("what you would say about it, or an idea of post"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (the author reads it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
