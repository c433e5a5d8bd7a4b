"""The monthly "what your shares brought" e-mail: last month's shares, verified clicks,
conversions and points, sent on the first days of the month to those who want it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import override

from portevoix.accounts.models import Person
from portevoix.analytics import charts
from portevoix.analytics.click_figures import ClickFigures
from portevoix.analytics.filters import Filters
from portevoix.gamification.models import PointEntry
from portevoix.notifications.emails import EmailRefused, email_send
from portevoix.notifications.models import DigestSent, Kind, NotificationSettings
from portevoix.sharing.models import Share
from portevoix.tracking.counters import Dimension, Frequency, Property
from portevoix.tracking.models import ClickCount
from portevoix.tracking.visitors import day_start


@dataclass(frozen=True)
class MonthFigures:
    shares: int
    verified_clicks: int
    conversions: int
    points: int

    @property
    def empty(self) -> bool:
        return not (self.shares or self.verified_clicks or self.conversions or self.points)


def previous_month(today: date) -> tuple[date, date]:
    """[first day of last month, first day of this month)."""
    this_month = today.replace(day=1)
    last = (
        this_month.replace(year=this_month.year - 1, month=12)
        if this_month.month == 1
        else this_month.replace(month=this_month.month - 1)
    )
    return last, this_month


def month_figures(*, person: Person, first: date, end: date) -> MonthFigures:
    """Read from the shares, the click rollups (days of the organisation) and the ledger."""
    start_at, end_at = day_start(first), day_start(end)
    counts = ClickCount.objects.filter(
        dimension=Dimension.AMBASSADOR,
        key=str(person.pk),
        frequency=Frequency.DAY,
        start__gte=start_at,
        start__lt=end_at,
    )
    return MonthFigures(
        shares=Share.objects.filter(
            person=person, created_at__gte=start_at, created_at__lt=end_at
        ).aggregate(n=Count("tracked_link_id", distinct=True))["n"],
        verified_clicks=counts.filter(property=Property.VERIFIED).aggregate(n=Sum("value"))["n"]
        or 0,
        conversions=counts.filter(property=Property.CONVERSIONS).aggregate(n=Sum("value"))["n"]
        or 0,
        points=PointEntry.objects.filter(
            person=person, occurred_at__gte=start_at, occurred_at__lt=end_at
        ).aggregate(n=Sum("points"))["n"]
        or 0,
    )


@dataclass(frozen=True)
class MonthChart:
    svg: SafeString  # the same SVG as the dashboard's, inline in the HTML part
    text: str  # its text equivalent, in both parts


def month_chart(*, person: Person, first: date, end: date) -> MonthChart:
    """The person's verified clicks per day of the month, drawn by the dashboard's chart code
    from the same counters. Call it in the person's language."""
    filters = Filters(start=first, end=end - timedelta(days=1), ambassador_id=person.pk)
    points = [
        (date_format(day, "j F"), counts[Property.VERIFIED])
        for day, counts in ClickFigures(filters).series().items()
    ]
    title = _("Verified clicks per day")
    words = charts.nonzero_summary(points) or _("no verified click")
    return MonthChart(
        svg=charts.line_chart(title=title, points=points),
        text=_("%(title)s: %(figures)s.") % {"title": title, "figures": words},
    )


def monthly_reports_send_due(*, now: datetime | None = None) -> int:
    """From the admin's digest hour on the first day of the month (organisation time), once per
    person and month (claimed in DigestSent as "report:YYYY-MM"). Nothing is sent for a month
    with no activity."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.day > 3 or (
        local.day == 1 and local.hour < NotificationSettings.current().digest_hour
    ):
        return 0
    first, end = previous_month(local.date())
    period = f"report:{first:%Y-%m}"
    people = Person.objects.filter(
        is_active=True, opted_in_at__isnull=False, notify_monthly_report=True
    )
    sent = 0
    for person in people.exclude(digests_sent__period=period).iterator(chunk_size=500):
        figures = month_figures(person=person, first=first, end=end)
        if figures.empty:
            continue
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(person=person, period=period)
        except IntegrityError:
            continue
        with override(person.language):
            month = date_format(first, "F Y")
            subject = _("What your shares brought in %(month)s") % {"month": month}
            chart = month_chart(person=person, first=first, end=end)
        try:
            delivered = email_send(
                person=person,
                kind=Kind.MONTHLY_REPORT,
                subject=subject,
                template="notifications/email/monthly_report",
                context={
                    "subject": subject,
                    "month": month,
                    "figures": figures,
                    "chart": chart,
                    "stats_url": settings.SITE_URL + reverse("gamification:mine"),
                },
            )
        except EmailRefused:
            continue  # the claim stays: refused for good, not tried again this month
        except Exception:
            claim.delete()
            raise
        if not delivered:
            claim.delete()
        sent += delivered
    return sent
