from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.validators import validate_single_line


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    AMBASSADOR = "ambassador", _("Employee")
    ALUMNI = "alumni", _("Alumni")


class Network(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    XING = "xing", "XING"
    WHATSAPP = "whatsapp", "WhatsApp"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    TELEGRAM = "telegram", "Telegram"
    EMAIL = "email", _("E-mail")
    COPY = "copy", _("Copy")


class DigestFrequency(models.TextChoices):
    NONE = "none", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class GroupKind(models.TextChoices):
    ENTITY = "entity", _("Entity")
    DEPARTMENT = "department", _("Department")
    SITE = "site", _("Site")
    COUNTRY = "country", _("Country")


class Group(models.Model):
    """An entity, department, site or country; a person may belong to several."""

    name = models.CharField(
        _("name"), max_length=120, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=GroupKind, default=GroupKind.DEPARTMENT
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager["Person"]):
    def create_user(self, email: str, password: str | None = None, **fields) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields) -> Person:
        """For `createsuperuser`: roles replace Django's superuser flag, so an admin."""
        fields.update(role=Role.ADMIN, is_active=True)
        fields.setdefault("activated_at", timezone.now())
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser):
    """Everybody who can log in. An employee becomes an ambassador only by opting in."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_single_line])
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.AMBASSADOR)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="members", verbose_name=_("groups")
    )
    # An editor (or admin) limited to these groups' people and content; none: the whole
    # organisation (accounts/scopes.py reads it, docs/governance.md says what it limits).
    scope_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="scoped_pilots",
        verbose_name=_("scope"),
        help_text=_("the groups this editor works for; none: the whole organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Whoever handles people's data requests (GDPR): the requests page and the compliance
    # archive, nothing more; admins have them anyway.
    data_protection_officer = models.BooleanField(
        _("data-protection officer"),
        default=False,
        help_text=_(
            "Runs people's data exports and erasures on their request, exports the archive."
        ),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    opted_in_at = models.DateTimeField(_("opted in"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    hide_from_rankings = models.BooleanField(_("hide me from leaderboards"), default=False)
    digest_frequency = models.CharField(
        _("content digest"), max_length=10, choices=DigestFrequency, default=DigestFrequency.WEEKLY
    )
    notify_priority = models.BooleanField(_("alert me about priority content"), default=True)
    notify_challenges = models.BooleanField(_("tell me about challenges"), default=True)
    notify_monthly_report = models.BooleanField(
        _("monthly report of what my shares brought"), default=True
    )
    notify_suggestions = models.BooleanField(
        _("tell me when my suggestions are reviewed"), default=True
    )
    notify_alerts = models.BooleanField(_("e-mail me veille alerts"), default=True)
    mastodon_instance = models.CharField(
        _("Mastodon instance"),
        max_length=190,
        blank=True,
        help_text=_("for example mastodon.social"),
    )

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_pilot(self) -> bool:
        """Editors and admins form the pilot team."""
        return self.role in (Role.ADMIN, Role.EDITOR)

    @property
    def is_alumni(self) -> bool:
        return self.role == Role.ALUMNI

    @property
    def is_ambassador(self) -> bool:
        """Opted in and still active: the only people whose shares and clicks are tracked."""
        return self.is_active and self.opted_in_at is not None


class NetworkAccount(models.Model):
    """A network a person uses, with the follower count they declared (or a connection read)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_accounts")
    network = models.CharField(_("network"), max_length=20, choices=Network)
    followers = models.PositiveIntegerField(_("followers"), default=0)
    # Set when the figure was read from the person's connected account (connections app), not
    # typed: the profile says "read from Mastodon" rather than "declared".
    followers_read_at = models.DateTimeField(_("followers read"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="one_account_per_network")
        ]
        ordering = ["network"]

    def __str__(self) -> str:
        return f"{self.person} on {self.network}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a new person set their password."""

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_single_line])
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.AMBASSADOR)
    groups = models.ManyToManyField(Group, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class CharterVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text (markdown)"))
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class CharterAcceptance(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="charter_acceptances")
    version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="accept_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} accepted v{self.version.number}"


class TwoFactor(models.Model):
    """A person's authenticator app (TOTP). Until `confirmed_at` it is only being set up: the
    log-in asks for a code only once the person has proved their app gives the right ones."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="two_factor")
    # Sealed with core/secrets.py: the secret is read back at every log-in, so it cannot be a
    # hash, and a copy of the database alone must not give it away.
    secret_sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step whose code was accepted: a code seen once is refused for the rest of
    # its window, so a code read over someone's shoulder cannot be used again.
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"two-factor of {self.person}"


class RecoveryCode(models.Model):
    """One of the single-use codes that replace the app when the phone is lost. Only their
    digests are kept: the person sees them once, when they are made."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="recovery_code_once")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.person}"


class TwoFactorPolicy(models.Model):
    """One row: whether editors and admins must log in with a second factor."""

    required_for_pilots = models.BooleanField(
        _("require two-factor log-in for editors and administrators"), default=False
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "two-factor policy"
