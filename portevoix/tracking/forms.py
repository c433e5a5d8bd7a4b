from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.core.forms import OneLineField


class ConversionKeyForm(forms.Form):
    name = OneLineField(
        label=_("Name"),
        max_length=80,
        help_text=_("Where the key is used, for example “careers site”."),
    )
