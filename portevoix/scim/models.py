"""What provisioning keeps: bearer tokens, the link between a SCIM resource and a person or
group, and the admin's rules for newcomers and leavers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Group, Person


class ScimToken(models.Model):
    """A bearer token an identity provider presents. Only its SHA-256 digest is stored."""

    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LeaverRule(models.TextChoices):
    ALUMNI = "alumni", _("They become alumni (they may keep sharing content open to alumni)")
    DEACTIVATE = "deactivate", _("They are deactivated")


class ProvisioningSettings(models.Model):
    """One row: what provisioning does with newcomers and leavers."""

    leaver_rule = models.CharField(
        _("when the identity provider says someone has left"),
        max_length=20,
        choices=LeaverRule,
        default=LeaverRule.DEACTIVATE,
    )
    invite_newcomers = models.BooleanField(
        _("e-mail an invitation to each person provisioned"), default=False
    )

    def __str__(self) -> str:
        return "provisioning settings"

    @classmethod
    def current(cls) -> ProvisioningSettings:
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class ScimUser(models.Model):
    """A person as the identity provider knows them. The SCIM id is a random UUID, not the
    person's key: ids reveal nothing about how many people the platform has.

    Only the attributes Portevoix uses are kept (data minimisation): the e-mail and the name go
    to the person; userName, externalId and the name parts stay here, as the provider sent them,
    so that what it reads back is what it wrote."""

    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True, db_index=True)
    display_name = models.CharField(max_length=150, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    email_type = models.CharField(max_length=40, blank=True)
    email_primary = models.BooleanField(null=True)
    # What the provider last said: None when it never said (or removed the attribute).
    active = models.BooleanField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # userName is case-insensitive in SCIM (RFC 7643 §4.1.1): so is its uniqueness.
            models.UniqueConstraint(Lower("user_name"), name="scim_user_name_unique")
        ]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=254, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.group.name
