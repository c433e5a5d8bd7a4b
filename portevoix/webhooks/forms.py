from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.core.forms import OneLineField
from portevoix.webhooks.events import EventType


class EndpointForm(forms.Form):
    name = OneLineField(label=_("Name"), max_length=100)
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_url(self) -> str:
        # The delivery's own guard, at input: https only, a host that resolves to public
        # addresses only. A URL that could never be posted to is refused here.
        try:
            return check_fetchable_url(self.cleaned_data["url"], https_only=True)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None
