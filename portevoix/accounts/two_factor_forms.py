"""The forms of two-factor log-in: a code, a password to confirm, the admin's policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Person


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordConfirmForm(forms.Form):
    """Turning two-factor log-in off or renewing the codes asks for the password again: an
    unattended open session is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, person: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("Wrong password: nothing was changed."))
        return password


class PolicyForm(forms.Form):
    required_for_pilots = forms.BooleanField(
        label=_("Require two-factor log-in for editors and administrators"), required=False
    )
