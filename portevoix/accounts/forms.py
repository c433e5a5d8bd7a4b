from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.access import is_last_admin
from portevoix.accounts.models import Group, Network, NetworkAccount, Person, Role
from portevoix.accounts.validators import validate_single_line
from portevoix.core.forms import OneLineField

# Networks a person can declare followers on (copy and e-mail have no audience to count).
AUDIENCE_NETWORKS = [n for n in Network if n not in (Network.COPY, Network.EMAIL)]
MAX_FOLLOWERS = 100_000_000


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True})
    )


class ResetForm(PasswordResetForm):
    """Django's reset form, with links to SITE_URL and never to the request's Host header."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # Django builds the link from the Host header, which a client chooses: an e-mail must
        # only ever point to the installation's own address, like invitations do.
        context = {
            **context,
            "url": password_reset_url(uidb64=context["uid"], token=context["token"]),
        }
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


def password_reset_url(*, uidb64: str, token: str) -> str:
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    return settings.SITE_URL + path


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)  # the e-mail column's size
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[validate_single_line]
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AMBASSADOR)
    groups = forms.ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=Group.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        person = Person.objects.filter(email=email).first()
        if person is not None and person.activated_at is not None:
            raise forms.ValidationError(_("This person already has an account."))
        if person is not None and (not person.is_active or person.deactivated_at is not None):
            raise forms.ValidationError(
                _("This person is deactivated: reactivate them before inviting them again.")
            )
        return email


class ImportForm(forms.Form):
    # An empty file reaches people_import_check, which says what is wrong with it.
    file = forms.FileField(label=_("CSV file"), allow_empty_file=True)


class PersonForm(forms.ModelForm):
    """What an admin may change about someone: role and groups."""

    class Meta:
        model = Person
        fields = ["full_name", "role", "groups", "data_protection_officer"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role != Role.ADMIN and is_last_admin(Person.objects.get(pk=self.instance.pk)):
            raise forms.ValidationError(
                _("This is the last administrator: name another one before changing this role.")
            )
        return role


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "kind"]
        field_classes = {"name": OneLineField}


class CharterForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text (markdown)"), widget=forms.Textarea(attrs={"rows": 16}))


class ProfileForm(forms.ModelForm):
    """A person's own profile. Role, groups and e-mail are deliberately not here."""

    class Meta:
        model = Person
        fields = [
            "full_name",
            "language",
            "time_zone",
            "mastodon_instance",
            "hide_from_rankings",
            "digest_frequency",
            "notify_priority",
            "notify_challenges",
            "notify_monthly_report",
            "notify_suggestions",
            "notify_alerts",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.is_pilot:
            # Veille alerts only ever go to the pilot team; an ambassador's save must not
            # switch the preference off because the box was not on their page.
            del self.fields["notify_alerts"]
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz],
        )
        followers = {a.network: a.followers for a in self.instance.network_accounts.all()}
        for network in AUDIENCE_NETWORKS:
            self.fields[f"followers_{network.value}"] = forms.IntegerField(
                label=_("%(network)s followers") % {"network": network.label},
                min_value=0,
                max_value=MAX_FOLLOWERS,
                required=False,
                initial=followers.get(network.value),
            )

    def follower_fields(self) -> list[forms.BoundField]:
        return [self[f"followers_{n.value}"] for n in AUDIENCE_NETWORKS]

    def clean_mastodon_instance(self) -> str:
        value = self.cleaned_data["mastodon_instance"].strip().lower()
        value = value.removeprefix("https://").removeprefix("http://").rstrip("/")
        if value and not _is_hostname(value):
            raise forms.ValidationError(
                _("Enter the instance's host name, for example mastodon.social.")
            )
        return value

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=commit)
        for network in AUDIENCE_NETWORKS:
            count = self.cleaned_data.get(f"followers_{network.value}")
            if count is None:
                NetworkAccount.objects.filter(person=person, network=network).delete()
            else:
                NetworkAccount.objects.update_or_create(
                    person=person, network=network, defaults={"followers": count}
                )
        return person


def _is_hostname(value: str) -> bool:
    labels = value.split(".")
    return (
        len(value) <= 190
        and len(labels) >= 2
        and all(
            label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
            for label in labels
        )
    )
