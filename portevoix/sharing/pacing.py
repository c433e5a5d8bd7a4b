"""Share pacing: the sharing hours (organisation time zone), the daily limit of shares per
person and network, and the per-post hourly spread of connected publications. The share page
counts its shares here; connections asks the same questions for scheduled publications."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Network, Person
from portevoix.sharing.models import Share, SharingRules


def sharing_rules() -> SharingRules:
    rules = SharingRules.objects.order_by("pk").first()
    return rules if rules is not None else SharingRules()


def sharing_rules_update(
    *, hours_start: int, hours_end: int, weekdays: str, daily_limit: int, post_hour_limit: int
) -> SharingRules:
    rules = sharing_rules()
    rules.hours_start, rules.hours_end, rules.weekdays = hours_start, hours_end, weekdays
    rules.daily_limit, rules.post_hour_limit = daily_limit, post_hour_limit
    rules.updated_at = timezone.now()
    rules.save()
    return rules


def organisation_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def organisation_day(at: datetime) -> date:
    return at.astimezone(organisation_zone()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = organisation_zone()
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def within_sharing_hours(at: datetime, rules: SharingRules | None = None) -> bool:
    rules = rules or sharing_rules()
    local = at.astimezone(organisation_zone())
    return str(local.weekday()) in rules.weekdays and (
        rules.hours_start <= local.hour < rules.hours_end
    )


def sharing_hours_label(rules: SharingRules | None = None) -> str:
    rules = rules or sharing_rules()
    days = ", ".join(
        str(_(name))
        for number, name in enumerate(
            (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
        )
        if str(number) in rules.weekdays
    )
    return _("%(days)s, %(start)d:00–%(end)d:00 (%(zone)s)") % {
        "days": days or _("no day"),
        "start": rules.hours_start,
        "end": rules.hours_end,
        "zone": settings.TIME_ZONE,
    }


def next_sharing_hour(after: datetime, rules: SharingRules | None = None) -> datetime | None:
    """The start of the next hour (or `after` itself) inside the sharing hours, within a week."""
    rules = rules or sharing_rules()
    if within_sharing_hours(after, rules):
        return after
    local = after.astimezone(organisation_zone()).replace(minute=0, second=0, microsecond=0)
    for _hour in range(24 * 8):
        local += timedelta(hours=1)
        if within_sharing_hours(local, rules):
            return local
    return None


def shares_on_day(*, person: Person, network: str, day: date) -> int:
    start, end = day_bounds(day)
    return Share.objects.filter(
        person=person, network=network, created_at__gte=start, created_at__lt=end
    ).count()


def daily_limit_problem(
    *, person: Person, network: str, at: datetime, pending: int = 0
) -> str | None:
    """Why one more share on `network` that day is refused; None when it may go. `pending` adds
    what is counted elsewhere (connected publications scheduled for that day)."""
    limit = sharing_rules().daily_limit
    if not limit:
        return None
    count = shares_on_day(person=person, network=network, day=organisation_day(at)) + pending
    if count < limit:
        return None
    return _(
        "You have reached the limit of %(limit)d shares a day on %(network)s for that day."
    ) % {"limit": limit, "network": Network(network).label}
