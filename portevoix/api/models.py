"""API tokens: personal ones (a person's own, acting as them) and service tokens (made by an
admin for a system, acting as that admin). Only the digest is kept: the token is shown once."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do, on top of what its person's role allows."""

    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
    ADMIN = "admin", _("Read, write and administer")


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    SERVICE = "service", _("Service")


SCOPE_RANK = {Scope.READ: 1, Scope.WRITE: 2, Scope.ADMIN: 3}


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(max_length=10, choices=TokenKind, default=TokenKind.PERSONAL)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.READ)
    # The person the token acts as: its owner for a personal token, the admin who made it for
    # a service token. Tokens go with the person (a token outliving its person would be a door
    # nobody watches).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=16)  # the first characters, to recognise it in a list
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, scope: str) -> bool:
        return SCOPE_RANK[Scope(self.scope)] >= SCOPE_RANK[Scope(scope)]
