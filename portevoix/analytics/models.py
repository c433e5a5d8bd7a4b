"""What the admin enters for the indicators: the brand's own channels and the media rates."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
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
    cpc = models.DecimalField(_("cost per click (€)"), max_digits=8, decimal_places=2)
    cpm = models.DecimalField(_("cost per 1,000 impressions (€)"), max_digits=8, decimal_places=2)
    # Share of an ambassador's followers who see a post: impressions are estimated, not measured.
    impression_rate = models.DecimalField(
        _("share of followers who see a post"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
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
