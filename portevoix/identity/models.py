"""Identity providers the admin configures, how their claims map to groups, and who is linked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group, Person, Role


class ProviderKind(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class IdentityProvider(models.Model):
    """A company directory people sign in through (Entra ID, Okta, Google Workspace, Keycloak…)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=40, unique=True)
    kind = models.CharField(_("protocol"), max_length=10, choices=ProviderKind)
    enabled = models.BooleanField(_("enabled"), default=True)
    domains = models.CharField(
        _("e-mail domains"),
        max_length=500,
        help_text=_("Separated by commas, for example lumiere.fr, lumiere.de"),
    )
    sso_required = models.BooleanField(
        _("single sign-on is mandatory for these domains"),
        default=False,
        help_text=_(
            "Passwords are then refused for these domains, except for the break-glass admin."
        ),
    )
    break_glass_admin = models.ForeignKey(
        Person,
        verbose_name=_("break-glass administrator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"role": Role.ADMIN},
        help_text=_(
            "The one local admin who may still log in with a password if the provider fails."
        ),
    )
    directory_owns_domains = models.BooleanField(
        _("this directory owns these domains"),
        default=False,
        help_text=_(
            "Tick only if nobody outside your company can get an address of these domains "
            "from this provider: its e-mails then count as verified even without email_verified."
        ),
    )
    default_role = models.CharField(
        _("role of new people"), max_length=20, choices=Role, default=Role.AMBASSADOR
    )
    group_claim = models.CharField(
        _("claim or attribute naming groups"),
        max_length=120,
        blank=True,
        help_text=_("for example department, country or groups"),
    )
    # OpenID Connect
    issuer = models.URLField(_("issuer URL"), blank=True)
    client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    client_secret_sealed = models.BinaryField(blank=True, default=b"")
    scopes = models.CharField(
        _("extra scopes"), max_length=200, blank=True, help_text=_("besides openid, email, profile")
    )
    # SAML 2.0
    metadata_url = models.URLField(_("IdP metadata URL"), blank=True)
    metadata_xml = models.TextField(_("IdP metadata XML"), blank=True)
    # Our own (service provider) key pair for this provider: the certificate is published in
    # our metadata, the private key is sealed (core/secrets.py).
    sp_certificate = models.TextField(blank=True)
    sp_key_sealed = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name

    def domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.domains.split(",") if d.strip()]


class GroupRule(models.Model):
    """A person whose claim `attribute` holds `value` belongs to `group`."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="group_rules"
    )
    value = models.CharField(_("claim value"), max_length=200)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "value", "group"], name="one_rule_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.group}"


class SsoLink(models.Model):
    """This person is the provider's subject `subject` (personal data: exported, erased)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_links"
    )
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="one_person_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.subject}"


class SeenAssertion(models.Model):
    """SAML assertions already used, kept until they expire: a replayed one is refused."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "assertion_id"], name="assertion_once")
        ]

    def __str__(self) -> str:
        return self.assertion_id
