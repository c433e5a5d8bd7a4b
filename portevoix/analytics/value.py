"""Amplification ratio and earned media value: estimates, labelled as such everywhere."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from portevoix.accounts.models import Network
from portevoix.analytics.models import DEFAULT_RATES, FALLBACK_RATE, BrandChannel, MediaRate


@dataclass(frozen=True)
class Amplification:
    network: str
    potential_reach: int
    brand_followers: int | None
    verified_clicks: int
    brand_traffic: int | None

    @property
    def reach_ratio(self) -> float | None:
        if not self.brand_followers:
            return None
        return self.potential_reach / self.brand_followers

    @property
    def traffic_ratio(self) -> float | None:
        if not self.brand_traffic:
            return None
        return self.verified_clicks / self.brand_traffic


def amplification(
    *, reach: dict[str, int], verified_by_network: dict[str, int], months: float
) -> list[Amplification]:
    """Per network with reach or a brand page. Brand traffic is entered per month, so it is
    scaled to the period's length (`months`)."""
    channels = {c.network: c for c in BrandChannel.objects.all()}
    found = []
    for network in sorted(set(reach) | set(channels)):
        channel = channels.get(network)
        traffic = None
        if channel and channel.monthly_traffic:
            traffic = round(channel.monthly_traffic * months)
        found.append(
            Amplification(
                network=network,
                potential_reach=reach.get(network, 0),
                brand_followers=channel.followers if channel else None,
                verified_clicks=verified_by_network.get(network, 0),
                brand_traffic=traffic,
            )
        )
    return found


def ratio_shown(ratio: float | None) -> float | None:
    """A ratio as the pages show it: one decimal from 1 on, two significant digits below, so
    that 1,800 ÷ 50,000 reads 0.036 rather than 0.0."""
    if ratio is None:
        return None
    if ratio >= 1 or ratio <= 0:
        return round(ratio, 1)
    return round(ratio, 1 - math.floor(math.log10(ratio)))


@dataclass(frozen=True)
class OverallAmplification:
    reach_ratio: float | None
    traffic_ratio: float | None


def amplification_overall(rows: list[Amplification]) -> OverallAmplification:
    """The programme's ratios, like with like: each side sums only the networks where the
    brand's own figure was entered (followers for reach, monthly traffic for clicks). Reach on
    a network without a brand page compares with nothing, so it is left out of both sides."""
    with_followers = [row for row in rows if row.brand_followers]
    followers = sum(row.brand_followers or 0 for row in with_followers)
    reach = sum(row.potential_reach for row in with_followers)
    with_traffic = [row for row in rows if row.brand_traffic]
    traffic = sum(row.brand_traffic or 0 for row in with_traffic)
    clicks = sum(row.verified_clicks for row in with_traffic)
    return OverallAmplification(
        reach_ratio=ratio_shown(reach / followers) if followers else None,
        traffic_ratio=ratio_shown(clicks / traffic) if traffic else None,
    )


@dataclass(frozen=True)
class MediaValue:
    network: str
    cpc: Decimal
    cpm: Decimal
    impression_rate: Decimal
    verified_clicks: int
    estimated_impressions: int

    @property
    def value(self) -> Decimal:
        clicks = self.cpc * self.verified_clicks
        return (clicks + self.cpm * self.estimated_impressions / 1000).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class RateInForce:
    network: str
    cpc: Decimal
    cpm: Decimal
    impression_rate: Decimal
    entered: bool  # by an admin; otherwise the defaults of `models.DEFAULT_RATES`


DEFAULT_IMPRESSION_RATE = Decimal("0.100")


def rates_in_force() -> list[RateInForce]:
    """The media rates every network's earned media value is priced on: the admin's where
    entered, the defaults otherwise. What the rates page shows, so that a value can be
    traced back to its rates."""
    entered = {r.network: r for r in MediaRate.objects.all()}
    found = []
    for network in Network.values:
        rate = entered.get(network)
        if rate:
            found.append(RateInForce(network, rate.cpc, rate.cpm, rate.impression_rate, True))
        else:
            cpc, cpm = DEFAULT_RATES.get(network, FALLBACK_RATE)
            found.append(RateInForce(network, cpc, cpm, DEFAULT_IMPRESSION_RATE, False))
    return found


def media_values(*, reach: dict[str, int], verified_by_network: dict[str, int]) -> list[MediaValue]:
    """EMV per network = CPC × verified clicks + CPM × estimated impressions / 1000, where the
    estimated impressions are the potential reach × the share of followers who see a post."""
    rates = {rate.network: rate for rate in rates_in_force()}
    found = []
    for network in sorted(set(reach) | set(verified_by_network)):
        rate = rates.get(network) or RateInForce(
            network, *FALLBACK_RATE, DEFAULT_IMPRESSION_RATE, False
        )
        impressions = int(Decimal(reach.get(network, 0)) * rate.impression_rate)
        found.append(
            MediaValue(
                network=network,
                cpc=rate.cpc,
                cpm=rate.cpm,
                impression_rate=rate.impression_rate,
                verified_clicks=verified_by_network.get(network, 0),
                estimated_impressions=impressions,
            )
        )
    return found
