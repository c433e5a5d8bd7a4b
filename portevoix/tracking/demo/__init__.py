"""Demo tracking: tracked links for the demo posts, a month of clicks and a few conversions.

Built from whatever posts exist (the content and sharing demos run before this one); with no
post there is nothing to track. The clicks go through the same classification and rollups as
real ones (`clicks_record`), only their visitor hashes are invented.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portevoix.content.models import Post
from portevoix.core.demo import DemoWorld
from portevoix.tracking.conversions import ConversionReport, conversion_record
from portevoix.tracking.inbox import RawClick
from portevoix.tracking.ingest import clicks_record
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Click, ClickKind, ConversionSource, Goal
from portevoix.tracking.selfclick import self_token_for

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.7010",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
]
PREVIEW_FETCHERS = [
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mastodon/4.2.8 (http.rb/5.1.1; +https://piaille.fr/) Bot",
]
REFERRERS = {
    "linkedin": "https://www.linkedin.com/",
    "x": "https://t.co/",
    "facebook": "https://l.facebook.com/",
    "bluesky": "https://bsky.app/",
    "mastodon": "https://piaille.fr/",
}
MAX_POSTS, MAX_CLICKS = 12, 1500


def build(world: DemoWorld) -> None:
    rng = world.rng
    posts = list(Post.objects.exclude(url="").order_by("-published_at", "-id")[:MAX_POSTS])
    ambassadors = [p for p in world.people if p.is_active and p.opted_in_at][:30]
    if not posts or not ambassadors:
        return
    now = timezone.now()
    links = []
    for post in posts:
        for person in rng.sample(ambassadors, k=min(len(ambassadors), rng.randint(2, 5))):
            used = [a.network for a in person.network_accounts.all() if a.network in REFERRERS]
            networks = used or ["linkedin"]
            for network in rng.sample(networks, k=min(2, len(networks))):
                links.append(tracked_link_for(post=post, ambassador=person, network=network))

    visitors = [f"{rng.getrandbits(128):032x}" for _ in range(600)]
    raw = []
    for n in range(MAX_CLICKS):
        link = rng.choice(links)
        roll = rng.random()
        raw.append(
            RawClick(
                id=0,
                code=link.code,
                at=(now - timedelta(days=rng.uniform(0, 30))).timestamp(),
                user_agent=rng.choice(PREVIEW_FETCHERS if roll < 0.15 else BROWSERS),
                referrer=REFERRERS.get(link.network, "") if rng.random() < 0.7 else "",
                click_id=f"demo{n:016d}",
                visitor=rng.choice(visitors),
                self_token=self_token_for(link.ambassador_id) if 0.15 <= roll < 0.18 else "",
            )
        )
    # Some visitors come back to the same link the same day: repeats, counted raw only.
    for n, click in enumerate(rng.sample(raw, k=len(raw) // 20)):
        raw.append(click._replace(at=click.at + 60, click_id=f"demorepeat{n:07d}"))
    raw.sort(key=lambda click: click.at)
    for start in range(0, len(raw), 500):
        clicks_record(raw=raw[start : start + 500])

    goals = [Goal.JOB_APPLICATION, Goal.JOB_APPLICATION, Goal.LEAD, Goal.SIGN_UP]
    verified = Click.objects.filter(kind=ClickKind.VERIFIED, at__gte=now - timedelta(days=25))
    for converted in rng.sample(list(verified), k=min(40, verified.count())):
        conversion_record(
            report=ConversionReport(click_id=converted.click_id, goal=rng.choice(goals), label=""),
            source=ConversionSource.API,
            now=converted.at + timedelta(minutes=rng.randint(2, 90)),
        )
