"""The personal-brand file: what a person built as an ambassador, as a file they keep — their
shares with texts and dates, their verified clicks and potential reach by month, their badges
and challenge results (docs/governance.md, "My personal-brand file").

A ZIP: `brand.json` (everything, for a program) and one CSV per part (for a spreadsheet), with
a README. Offered on one's profile, to alumni, and by e-mail to a leaver before deactivation:
a deactivated person cannot log in, so the e-mail carries a signed link that works without
logging in for LINK_DAYS while the account stays deactivated (signed with SECRET_KEY,
nothing stored; the person's id only).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.analytics.filters import Filters
from portevoix.analytics.share_figures import ShareFigures
from portevoix.gamification.badges import BADGES_BY_CODE
from portevoix.gamification.models import BadgeAward, ChallengeResult
from portevoix.sharing.models import Share
from portevoix.tracking.counters import Dimension, Frequency, Property
from portevoix.tracking.models import ClickCount
from portevoix.tracking.visitors import local_day

LINK_SALT = "analytics.brand_export"
LINK_DAYS = 30
FORMAT = "portevoix-personal-brand/1"


def _readme(organisation: str, made: str) -> str:
    return "\n".join(
        [
            _("Your personal-brand file from Portevoix (%(organisation)s), made %(made)s.")
            % {"organisation": organisation, "made": made},
            "",
            "brand.json      " + _("everything below, for a program"),
            "shares.csv      " + _("each share: date, network, post, link, the text you shared"),
            "by_month.csv    "
            + _("per month: shares, verified clicks, raw clicks, potential reach"),
            "badges.csv      " + _("the badges you earned and when"),
            "challenges.csv  " + _("your challenge results: rank and score"),
            "",
            _(
                "Verified clicks are clicks by people (not bots, e-mail link scanners, you, or "
                "repeats the same day); potential reach adds up the followers you declared, "
                "once per network and month."
            ),
            "",
        ]
    )


def _month(moment: datetime) -> str:
    return local_day(moment).strftime("%Y-%m")


def _shares(person: Person) -> list[dict[str, Any]]:
    shares = Share.objects.filter(person=person).select_related("post").order_by("created_at")
    return [
        {
            "date": timezone.localtime(share.created_at).isoformat(),
            "network": share.network,
            "post": share.post.title,
            "url": share.post.url,
            "text": share.text,
        }
        for share in shares
    ]


def _by_month(person: Person, shares: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clicks: dict[str, dict[str, int]] = {}
    counters = ClickCount.objects.filter(
        dimension=Dimension.AMBASSADOR,
        key=str(person.pk),
        frequency=Frequency.MONTH,
        property__in=(Property.VERIFIED, Property.RAW),
    ).values_list("start", "property", "value")
    for start, prop, value in counters:
        clicks.setdefault(_month(start), {})[prop] = value
    shared: dict[str, int] = {}
    for share in shares:
        shared[share["date"][:7]] = shared.get(share["date"][:7], 0) + 1
    rows = []
    for month in sorted(set(clicks) | set(shared)):
        first = date.fromisoformat(f"{month}-01")
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        # The same reach as "my statistics" for that month (ShareFigures).
        reach = ShareFigures(Filters(start=first, end=last, ambassador_id=person.pk))
        rows.append(
            {
                "month": month,
                "shares": shared.get(month, 0),
                "verified_clicks": clicks.get(month, {}).get(Property.VERIFIED, 0),
                "raw_clicks": clicks.get(month, {}).get(Property.RAW, 0),
                "potential_reach": sum(reach.potential_reach().values()),
            }
        )
    return rows


def brand_export_data(person: Person) -> dict[str, Any]:
    shares = _shares(person)
    badges = BadgeAward.objects.filter(person=person).order_by("awarded_at")
    results = (
        ChallengeResult.objects.filter(person=person)
        .select_related("challenge")
        .order_by("challenge__ends_at")
    )
    return {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "organisation": settings.ORGANISATION_NAME,
        "person": {"name": person.full_name, "email": person.email},
        "shares": shares,
        "by_month": _by_month(person, shares),
        "badges": [
            {
                "badge": str(BADGES_BY_CODE[a.badge].name)
                if a.badge in BADGES_BY_CODE
                else a.badge,
                "awarded_at": timezone.localtime(a.awarded_at).isoformat(),
            }
            for a in badges
        ],
        "challenges": [
            {
                "challenge": r.challenge.title,
                "ended_at": timezone.localtime(r.challenge.ends_at).isoformat(),
                "metric": r.challenge.metric,
                "rank": r.rank,
                "score": r.value,
            }
            for r in results
        ],
    }


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet: made plain text.
        writer.writerow({k: _plain_cell(v) for k, v in row.items()})
    return out.getvalue()


def _plain_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def brand_export_zip(person: Person) -> bytes:
    """In the person's language (badge names, the README), whoever asks."""
    with override(person.language):
        data = brand_export_data(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with override(person.language):
            archive.writestr("README.txt", _readme(data["organisation"], data["made_at"][:10]))
        archive.writestr("brand.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(
            "shares.csv", _csv(data["shares"], ["date", "network", "post", "url", "text"])
        )
        archive.writestr(
            "by_month.csv",
            _csv(
                data["by_month"],
                ["month", "shares", "verified_clicks", "raw_clicks", "potential_reach"],
            ),
        )
        archive.writestr("badges.csv", _csv(data["badges"], ["badge", "awarded_at"]))
        archive.writestr(
            "challenges.csv",
            _csv(data["challenges"], ["challenge", "ended_at", "metric", "rank", "score"]),
        )
    return buffer.getvalue()


def brand_export_link(person: Person) -> str:
    """A link to the person's file that works without logging in for LINK_DAYS."""
    token = signing.dumps({"p": person.pk}, salt=LINK_SALT, compress=True)
    return settings.SITE_URL + reverse("analytics:brand_export_link", args=[token])


def brand_export_link_person(token: str) -> Person | None:
    """The person a link was made for; None when forged, altered or older than LINK_DAYS, or
    when the person is active: the link is for a leaver, who cannot log in. Someone reactivated
    downloads their file from their profile, and the link they were mailed stops working (it
    would otherwise hand their current data to whoever finds the old e-mail)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=LINK_DAYS))
        return Person.objects.filter(pk=int(data["p"]), is_active=False).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def brand_export_filename(person: Person) -> str:
    return f"portevoix-personal-brand-{timezone.localdate():%Y%m%d}.zip"
