"""What the admin enters for the indicators: the brand's own channels and the media rates."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.models import Network


class BrandChannel(models.Model):
    """The brand's own page on a network: its followers (and, optionally, the visits its own
    posts bring per month), against which the ambassadors' reach is compared."""

    network = models.CharField(_("network"), max_length=20, choices=Network, unique=True)
    followers = models.PositiveIntegerField(_("followers of the brand page"))
    monthly_traffic = models.PositiveIntegerField(
        _("visits per month from the brand's own posts"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.network}: {self.followers}"


class MediaRate(models.Model):
    """Paid-media prices used for the earned media value of one network."""

    network = models.CharField(_("network"), max_length=20, choices=Network, unique=True)
    # A price is never negative, and no more than all of the followers see a post: either
    # would make the earned media value a nonsense figure.
    cpc = models.DecimalField(
        _("cost per click (€)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cpm = models.DecimalField(
        _("cost per 1,000 impressions (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    # Share of an ambassador's followers who see a post: impressions are estimated, not measured.
    impression_rate = models.DecimalField(
        _("share of followers who see a post"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    def __str__(self) -> str:
        return f"{self.network}: CPC {self.cpc} CPM {self.cpm}"


# Used until an admin enters rates: order of magnitude of public price lists, in euros.
DEFAULT_RATES = {
    "linkedin": (Decimal("5.00"), Decimal("30.00")),
    "x": (Decimal("1.00"), Decimal("6.00")),
    "facebook": (Decimal("0.80"), Decimal("8.00")),
    "xing": (Decimal("3.00"), Decimal("20.00")),
}
FALLBACK_RATE = (Decimal("1.00"), Decimal("5.00"))


class ShareActivity(models.Model):
    """On which organisation days a person shared, on one network ("" = any network), as a
    bitmap: bit n set = shared on day `first_day + n` (days as `date.toordinal()`).

    Derived from the shares (activity.py rebuilds a person's rows from them whenever a share is
    created or deleted), so that distinct-people figures over a long period (active
    ambassadors, potential reach, monthly active, cohorts) read one row per person and network
    instead of every share. Deleted with the person.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=20, blank=True)
    first_day = models.IntegerField()
    last_day = models.IntegerField()
    days = models.BinaryField()
    # The person's declared followers on this network (0 on the any-network row, or without an
    # account there), copied from their network account so that potential reach is summed from
    # these rows alone; receivers.py keeps it in step when the account changes.
    followers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="one_activity_per_network")
        ]
        # Every column the dashboards read, so that the period's rows of one network (or of any
        # network) are read from the index alone (a year of bitmaps is under 50 bytes).
        indexes = [
            models.Index(
                fields=["network", "last_day", "first_day", "followers", "person", "days"],
                name="activity_by_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.network or 'any network'}"


class ShareDayCount(models.Model):
    """Shares per network and organisation day, derived from the shares like ShareActivity:
    the share counts of a period without reading its shares."""

    network = models.CharField(max_length=20)
    day = models.DateField()
    shares = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "day"], name="one_share_count_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.day}: {self.shares}"


class ReportKey(models.Model):
    """An installation key that signs figures reports (Ed25519, figures_report.py). Made once
    on first need; the private key is sealed (core/secrets.py) so that a copy of the database
    alone cannot sign. Kept after it is replaced, so that older reports still verify."""

    key_id = models.CharField(max_length=16, unique=True)  # start of the public key's SHA-256
    public_key = models.TextField()  # PEM (SubjectPublicKeyInfo)
    private_key_sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"report key {self.key_id}"
