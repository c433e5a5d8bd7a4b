"""Demo analytics: the brand's own pages and media rates, so that the amplification ratio and
the earned media value show real figures on the demo dashboard."""

from __future__ import annotations

from decimal import Decimal

from portevoix.analytics.activity import activity_rebuild_all
from portevoix.analytics.models import BrandChannel, MediaRate
from portevoix.core.demo import DemoWorld


def build(world: DemoWorld) -> None:
    # The demo's shares were made in bulk (sharing runs before analytics), without receivers.
    activity_rebuild_all()
    for network, followers, traffic in [
        ("linkedin", 12_400, 900),
        ("x", 3_100, 150),
        ("facebook", 5_800, None),
    ]:
        BrandChannel.objects.update_or_create(
            network=network, defaults={"followers": followers, "monthly_traffic": traffic}
        )
    MediaRate.objects.update_or_create(
        network="linkedin",
        defaults={"cpc": Decimal("5.50"), "cpm": Decimal("32.00"), "impression_rate": "0.12"},
    )
