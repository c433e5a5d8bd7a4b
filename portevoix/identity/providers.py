"""Reading identity providers: which one an e-mail belongs to, and its client secret."""

from __future__ import annotations

from portevoix.core.secrets import secret_seal, secret_unseal
from portevoix.identity.models import IdentityProvider

SECRET_PURPOSE = "identity.client_secret"


def email_domain(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider whose domains include this e-mail's, or None."""
    domain = email_domain(email)
    if not domain or "@" not in email:
        return None
    for provider in IdentityProvider.objects.filter(enabled=True).order_by("pk"):
        if domain in provider.domain_list():
            return provider
    return None


def provider_client_secret(provider: IdentityProvider) -> str:
    if not provider.client_secret_sealed:
        return ""
    return secret_unseal(provider.client_secret_sealed, purpose=SECRET_PURPOSE)


def provider_client_secret_set(*, provider: IdentityProvider, secret: str) -> None:
    provider.client_secret_sealed = secret_seal(secret, purpose=SECRET_PURPOSE)


def is_break_glass(provider: IdentityProvider, email: str) -> bool:
    admin = provider.break_glass_admin
    return admin is not None and admin.is_active and admin.email == email.strip().lower()
