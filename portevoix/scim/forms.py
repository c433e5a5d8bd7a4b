from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.core.forms import OneLineField
from portevoix.scim.models import ProvisioningSettings


class ScimTokenForm(forms.Form):
    name = OneLineField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which identity provider uses the token, for example “Entra ID”."),
    )


class ProvisioningSettingsForm(forms.ModelForm):
    class Meta:
        model = ProvisioningSettings
        fields = ["leaver_rule", "invite_newcomers"]
        widgets = {"leaver_rule": forms.RadioSelect}
