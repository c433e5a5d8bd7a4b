"""Demo points and challenges: points from the demo's verified clicks, shares and conversions
(through the same scoring as the worker), a running challenge and a closed one."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.content.models import Campaign
from portevoix.core.demo import DemoWorld
from portevoix.gamification.activity import conversion_score, verified_clicks_score
from portevoix.gamification.challenges import challenge_close
from portevoix.gamification.models import Challenge
from portevoix.tracking.models import Click, ClickKind, Conversion


def build(world: DemoWorld) -> None:
    clicks = Click.objects.filter(kind=ClickKind.VERIFIED).select_related("link").order_by("at")
    verified_clicks_score(
        clicks=[
            (c.click_id, c.link_id, c.link.ambassador_id, c.link.post_id, c.at.timestamp())
            for c in clicks
        ]
    )
    for conversion in Conversion.objects.select_related("link__ambassador"):
        conversion_score(conversion=conversion)

    campaigns = list(Campaign.objects.order_by("id")[:2])
    if not campaigns:
        return
    now = timezone.now()
    Challenge.objects.create(
        title="Défi de l'hiver : faites connaître nos offres",
        description="Le plus de clics vérifiés sur les offres de la campagne.",
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=20),
        metric="verified_clicks",
        campaign=campaigns[0],
        min_threshold=3,
        winners_count=3,
        reward="Un déjeuner avec le comité de direction",
    )
    closed = Challenge.objects.create(
        title="Sprint de rentrée",
        description="Qui partagera le plus les actualités de la campagne ?",
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=5),
        metric="shares",
        campaign=campaigns[-1],
        min_threshold=1,
        winners_count=1,
        reward="Un sac Lumière Énergies",
    )
    challenge_close(challenge=closed, now=now)
