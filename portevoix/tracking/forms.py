from django import forms
from django.utils.translation import gettext_lazy as _


class ConversionKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Where the key is used, for example “careers site”."),
    )
