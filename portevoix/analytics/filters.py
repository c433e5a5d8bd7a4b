"""Dashboard filters: parsed from the query string, checked, with a clear message when wrong."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Group, Network, Person
from portevoix.accounts.scopes import scope_of
from portevoix.analytics import periods
from portevoix.content.models import Campaign, Post
from portevoix.content.selectors import posts_visible
from portevoix.core.params import id_param
from portevoix.tracking.counters import Dimension
from portevoix.tracking.visitors import day_start, local_day

GRANULARITIES = ("day", "week", "month")
MAX_DAYS = 3 * 366  # longer ranges are refused: nobody reads them and they cost


class FilterError(ValueError):
    """A filter value that cannot be used; the message is shown to the user."""


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # included
    granularity: str = "day"
    campaign_id: int | None = None
    post_id: int | None = None
    group_id: int | None = None
    network: str = ""
    ambassador_id: int | None = None
    preset: str = periods.CUSTOM  # a preset ("30d") names a period that rolls with the days

    @property
    def since(self) -> datetime:
        return day_start(self.start)

    @property
    def until(self) -> datetime:
        return day_start(self.end + timedelta(days=1))

    def click_filters(self) -> dict[str, str]:
        """The filters that narrow clicks, as rollup dimension -> key."""
        found = {
            Dimension.CAMPAIGN: self.campaign_id,
            Dimension.POST: self.post_id,
            Dimension.GROUP: self.group_id,
            Dimension.NETWORK: self.network or None,
            Dimension.AMBASSADOR: self.ambassador_id,
        }
        return {name: str(value) for name, value in found.items() if value is not None}

    def query(self) -> dict[str, str]:
        """Back to a query string (for exports and links)."""
        # A preset is kept as its name, so a shared link shows the last 30 days of the day it
        # is opened, as the person who shared it meant.
        if self.preset in periods.PRESETS:
            found = {"period": self.preset, "by": self.granularity}
        else:
            found = {"start": self.start.isoformat(), "end": self.end.isoformat()}
            found["by"] = self.granularity
        for name in ("campaign", "post", "group", "ambassador"):
            value = getattr(self, f"{name}_id")
            if value is not None:
                found[name] = str(value)
        if self.network:
            found["network"] = self.network
        return found

    def for_person(self, person_id: int) -> Filters:
        return replace(self, ambassador_id=person_id, group_id=None)


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise FilterError(
            _("%(label)s is not a date (expected YYYY-MM-DD).") % {"label": label}
        ) from error


def _id(data, name: str, model, message: str) -> int | None:
    value = (data.get(name) or "").strip()
    if not value:
        return None
    wanted = id_param(value)
    if wanted is None or not model.objects.filter(pk=wanted).exists():
        raise FilterError(message % {"value": value[:40]})
    return wanted


def _period(data, today: date) -> tuple[date, date, str]:
    """First and last day, and the preset that names them. A preset wins over dates equal to
    its own (the form sends the dates it shows); other dates make the period custom, so a
    person who typed dates gets those dates."""
    preset = (data.get("period") or "").strip()
    if preset and preset != periods.CUSTOM and preset not in periods.PRESETS:
        raise FilterError(
            _("Unknown period: choose the last 7 or 30 days, this quarter, this year or dates.")
        )
    if not preset and not data.get("start") and not data.get("end"):
        preset = periods.DEFAULT_PRESET
    if preset in periods.PRESETS:
        start, end = periods.preset_range(preset, today=today)
        typed = (data.get("start") or start.isoformat(), data.get("end") or end.isoformat())
        if typed == (start.isoformat(), end.isoformat()):
            return start, end, preset
    end = _date(data["end"], _("End date")) if data.get("end") else today
    start = _date(data["start"], _("Start date")) if data.get("start") else end - timedelta(29)
    return start, end, periods.CUSTOM


def filters_parse(*, data, today: date | None = None) -> Filters:
    """Filters from a query dict. Raises FilterError with a message for the user."""
    today = today or local_day(timezone.now())
    start, end, preset = _period(data, today)
    if start > end:
        raise FilterError(_("The start date is after the end date."))
    if (end - start).days >= MAX_DAYS or start.year < 2000 or end.year > today.year + 1:
        raise FilterError(_("This date range is too long or out of bounds (three years at most)."))
    granularity = data.get("by") or "day"
    if granularity not in GRANULARITIES:
        raise FilterError(_("Unknown period: choose day, week or month."))
    network = (data.get("network") or "").strip()
    if network and network not in Network.values:
        raise FilterError(_("Unknown network: %(value)s.") % {"value": network[:40]})
    return Filters(
        start=start,
        end=end,
        granularity=granularity,
        campaign_id=_id(data, "campaign", Campaign, _("Unknown campaign: %(value)s.")),
        post_id=_id(data, "post", Post, _("Unknown post: %(value)s.")),
        group_id=_id(data, "group", Group, _("Unknown group: %(value)s.")),
        network=network,
        ambassador_id=_id(data, "ambassador", Person, _("Unknown ambassador: %(value)s.")),
        preset=preset,
    )


def filters_within_scope(filters: Filters, *, viewer: Person) -> Filters:
    """The filters a member of the pilot team may use. The whole organisation's keep theirs; a
    scoped editor's figures are those of one of their groups (the first by name unless they
    chose another): the shares made by its people and the clicks on their links, the same
    figures as the group filter gives anyone (docs/metrics.md). A group, a post or an
    ambassador outside their scope is not found (404), never silently widened."""
    scope = scope_of(viewer)
    if scope.is_whole:
        return filters
    if filters.group_id is not None and not scope.allows_group(filters.group_id):
        raise Http404(_("This group is outside your scope."))
    if filters.ambassador_id is not None and not scope.allows_person(filters.ambassador_id):
        raise Http404(_("This person is outside your scope."))
    if (
        filters.post_id is not None
        and not posts_visible(viewer).filter(pk=filters.post_id).exists()
    ):
        raise Http404(_("This post is outside your scope."))
    if filters.group_id is None:
        # With one ambassador chosen too: the figures that count people rather than their
        # clicks (adoption, engagement by group) would otherwise be the whole organisation's.
        groups = scope.groups().order_by("name")
        if filters.ambassador_id is not None:
            groups = groups.filter(members=filters.ambassador_id)
        first = groups.values_list("pk", flat=True).first()
        return replace(filters, group_id=first)
    return filters
