from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.access import is_last_admin
from portevoix.accounts.models import Group, Network, NetworkAccount, Person, Role
from portevoix.accounts.scopes import role_grant_problem, scope_of
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

    def __init__(self, *args: Any, inviter: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inviter = inviter

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if self.inviter is not None and (
            problem := role_grant_problem(granter=self.inviter, role=role)
        ):
            raise forms.ValidationError(problem)
        return role

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
    """What an admin may change about someone: role, groups and, for an editor or an admin,
    the groups they work for (their scope). Only an organisation-wide admin sets scopes: one
    limited to groups could otherwise widen their own."""

    class Meta:
        model = Person
        fields = ["full_name", "role", "groups", "scope_groups", "data_protection_officer"]
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "scope_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, editor: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.role_before = self.instance.role
        self.officer_before = self.instance.data_protection_officer
        if editor is not None and not scope_of(editor).is_whole:
            del self.fields["scope_groups"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.editor is not None:
            role = data.get("role") or ""
            changed = bool(role) and role != self.role_before
            if changed and (problem := role_grant_problem(granter=self.editor, role=role)):
                self.add_error("role", problem)
            # An officer runs everyone's data requests: wider than a scope.
            named = data.get("data_protection_officer") and not self.officer_before
            if named and (problem := role_grant_problem(granter=self.editor, role=Role.ADMIN)):
                self.add_error("data_protection_officer", problem)
        scope = data.get("scope_groups")
        if scope and data.get("role") not in (Role.ADMIN, Role.EDITOR):
            self.add_error(
                "scope_groups",
                _("Only editors and administrators work within a scope: leave it empty."),
            )
        elif scope and data.get("role") == Role.ADMIN and self._last_whole_admin():
            self.add_error(
                "scope_groups",
                _(
                    "This is the last administrator of the whole organisation: name another one "
                    "before limiting this one to groups."
                ),
            )
        return data

    def _last_whole_admin(self) -> bool:
        others = (
            Person.objects.filter(role=Role.ADMIN, is_active=True, scope_groups__isnull=True)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        return not others

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
        accounts = {a.network: a for a in self.instance.network_accounts.all()}
        self.read_followers = {
            network: account.followers
            for network, account in accounts.items()
            if account.followers_read_at is not None
        }
        for network in AUDIENCE_NETWORKS:
            account = accounts.get(network.value)
            self.fields[f"followers_{network.value}"] = forms.IntegerField(
                label=_("%(network)s followers") % {"network": network.label},
                min_value=0,
                max_value=MAX_FOLLOWERS,
                required=False,
                initial=account.followers if account else None,
                help_text=(
                    _("read from %(network)s on %(day)s")
                    % {
                        "network": network.label,
                        "day": date_format(account.followers_read_at, "SHORT_DATE_FORMAT"),
                    }
                    if account and account.followers_read_at
                    else _("declared")
                    if account
                    else ""
                ),
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
                # Unchanged, a figure read from the network stays read; typed, it is declared.
                if self.read_followers.get(network.value) == count:
                    continue
                NetworkAccount.objects.update_or_create(
                    person=person,
                    network=network,
                    defaults={"followers": count, "followers_read_at": None},
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
