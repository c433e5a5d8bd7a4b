from __future__ import annotations

import re

from defusedxml import ElementTree
from django import forms
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Person, Role
from portevoix.accounts.scopes import role_grant_problem
from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.identity.models import GroupRule, IdentityProvider, ProviderKind
from portevoix.identity.providers import provider_client_secret_set

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _element_names(xml: str) -> set[str]:
    """Local names of the elements of an XML text (none when unreadable or unsafe)."""
    try:
        root = ElementTree.fromstring(xml)
    except Exception:  # malformed XML, or entities defusedxml refuses
        return set()
    return {element.tag.rpartition("}")[2] for element in root.iter()}


class ProviderForm(forms.ModelForm):
    """One identity provider. The client secret is write-only: empty keeps the one stored."""

    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted; leave empty to keep the current one."),
    )
    issuer = forms.URLField(label=_("Issuer URL"), required=False, assume_scheme="https")
    metadata_url = forms.URLField(
        label=_("IdP metadata URL"), required=False, assume_scheme="https"
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "domains",
            "enabled",
            "sso_required",
            "break_glass_admin",
            "directory_owns_domains",
            "default_role",
            "group_claim",
            "issuer",
            "client_id",
            "scopes",
            "metadata_url",
            "metadata_xml",
        ]

    def __init__(self, *args, kind: str, granter: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        self.granter = granter
        self.role_before = self.instance.default_role if self.instance.pk else None
        admins = self.fields["break_glass_admin"]
        roles = self.fields["default_role"]
        assert isinstance(admins, forms.ModelChoiceField)
        assert isinstance(roles, forms.ChoiceField)
        admins.queryset = Person.objects.filter(role=Role.ADMIN, is_active=True)
        # Nobody becomes an admin by signing in: admins are named by an admin.
        roles.choices = [(r.value, r.label) for r in Role if r != Role.ADMIN]
        unused = (
            ["metadata_url", "metadata_xml"]
            if kind == ProviderKind.OIDC
            else ["issuer", "client_id", "scopes", "client_secret"]
        )
        for name in unused:
            del self.fields[name]

    def clean_default_role(self) -> str:
        """Everyone a provider creates gets this role: a scoped admin naming editors that way
        would widen their reach as an invitation would (accounts/scopes.py). A role already
        set stays, whoever saves the provider's other settings."""
        role = self.cleaned_data["default_role"]
        if role != self.role_before:
            problem = role_grant_problem(granter=self.granter, role=role)
            if problem:
                raise forms.ValidationError(problem)
        return role

    def clean_domains(self) -> str:
        domains = [d.strip().lower() for d in self.cleaned_data["domains"].split(",") if d.strip()]
        if not domains:
            raise forms.ValidationError(_("Enter at least one e-mail domain."))
        bad = [d for d in domains if not DOMAIN.match(d)]
        if bad:
            raise forms.ValidationError(
                _("Not an e-mail domain: %(domains)s") % {"domains": ", ".join(bad)}
            )
        others = IdentityProvider.objects.exclude(pk=self.instance.pk)
        taken = [d for other in others for d in other.domain_list() if d in domains]
        if taken:
            raise forms.ValidationError(
                _("Already signed in by another provider: %(domains)s")
                % {"domains": ", ".join(taken)}
            )
        return ", ".join(dict.fromkeys(domains))

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data.get("issuer", "").strip().rstrip("/")
        if not issuer:
            raise forms.ValidationError(_("Enter the provider's issuer URL."))
        try:
            return check_fetchable_url(issuer, https_only=True)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_client_id(self) -> str:
        client_id = self.cleaned_data.get("client_id", "").strip()
        if not client_id:
            raise forms.ValidationError(_("Enter the client ID the provider gave you."))
        return client_id

    def clean_client_secret(self) -> str:
        secret = self.cleaned_data.get("client_secret", "")
        if not secret and not self.instance.client_secret_sealed:
            raise forms.ValidationError(_("Enter the client secret the provider gave you."))
        return secret

    def clean_metadata_url(self) -> str:
        url = self.cleaned_data.get("metadata_url", "").strip()
        if not url:
            return ""
        try:
            return check_fetchable_url(url, https_only=True)
        except FetchError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_metadata_xml(self) -> str:
        xml = self.cleaned_data.get("metadata_xml", "").strip()
        if xml and "IDPSSODescriptor" not in _element_names(xml):
            raise forms.ValidationError(
                _("This is not an IdP's SAML metadata (no IDPSSODescriptor element).")
            )
        return xml

    def clean(self) -> dict:
        data = super().clean() or {}
        if self.instance.kind == ProviderKind.SAML and not (
            data.get("metadata_url") or data.get("metadata_xml", "").strip()
        ):
            raise forms.ValidationError(_("Give the IdP's metadata URL or paste its XML."))
        return data

    def save(self, commit: bool = True) -> IdentityProvider:
        provider = super().save(commit=False)
        secret = self.cleaned_data.get("client_secret")
        if secret:
            provider_client_secret_set(provider=provider, secret=secret)
        if commit:
            provider.save()
        return provider


class GroupRuleForm(forms.ModelForm):
    class Meta:
        model = GroupRule
        fields = ["value", "group"]

    def __init__(self, *args, provider: IdentityProvider, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.provider = provider

    def clean_value(self) -> str:
        value = self.cleaned_data["value"].strip()
        if not value:
            raise forms.ValidationError(_("Enter the claim value, for example Marketing."))
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("group") and data.get("value"):
            duplicate = GroupRule.objects.filter(
                provider=self.instance.provider, value=data["value"], group=data["group"]
            )
            if duplicate.exists():
                raise forms.ValidationError(_("This rule exists already."))
        return data
