"""The dashboard's pages and my statistics: thin views over `dashboard.py`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.accounts.models import Network, Person
from portevoix.accounts.scopes import scope_of
from portevoix.analytics import charts, dashboard, periods, zone
from portevoix.analytics.filters import FilterError, filters_parse, filters_within_scope
from portevoix.analytics.tables import Table
from portevoix.connections.readings import latest_engagement
from portevoix.content.models import Campaign
from portevoix.core.params import id_param


def _series_chart(table: Table, previous: list[int] | None) -> str:
    """Shares, verified clicks and conversions per step, with the previous period's verified
    clicks as a faint line: the series table's own rows."""
    rows = table.rows
    series = [
        charts.Series(_("Verified clicks"), [row[2] for row in rows]),
        charts.Series(_("Shares"), [row[1] for row in rows], charts.SHARES_COLOUR),
        charts.Series(_("Conversions"), [row[4] for row in rows], charts.CONVERSIONS_COLOUR),
    ]
    if previous:
        series.append(
            charts.Series(_("Verified clicks, previous period"), previous[: len(rows)], faint=True)
        )
    return charts.series_chart(
        title=_("Shares, verified clicks and conversions over time"),
        labels=[periods.day_words(row[0]) for row in rows],
        series=series,
    )


def _charts(tables: list[Table]) -> dict[str, str]:
    by_slug = {table.slug: table for table in tables}
    found: dict[str, str] = {}
    if "series" in by_slug:
        found["series"] = _series_chart(by_slug["series"], getattr(tables, "previous_series", None))
    if "networks" in by_slug:
        found["networks"] = charts.bar_chart(
            title=_("Shares by network"),
            bars=[(row[0], row[1]) for row in by_slug["networks"].rows],
        )
    if "cohorts" in by_slug:
        found["cohorts"] = charts.cohort_grid(
            title=_("Cohort retention"),
            rows=[(row[0], row[1], [row[1]] + row[2:]) for row in by_slug["cohorts"].rows],
        )
    return found


def _choices(viewer: Person) -> dict:
    groups = scope_of(viewer).groups().order_by("name").values_list("pk", "name")
    return {
        "campaigns": Campaign.objects.order_by("-created_at").values_list("pk", "name")[:200],
        "groups": list(groups),
        "networks": Network.choices,
        "granularities": [("day", _("day")), ("week", _("week")), ("month", _("month"))],
    }


def _presets(query: dict[str, str]) -> list[tuple[str, str, str]]:
    """(preset, label, query string) of each preset, keeping the other filters."""
    kept = {name: value for name, value in query.items() if name not in ("start", "end", "period")}
    return [
        (preset, str(label), urlencode({"period": preset, **kept}))
        for preset, label in periods.PRESETS.items()
    ]


def _page(request: AuthenticatedRequest, template: str, build, context: dict) -> HttpResponse:
    context["periods_note"] = zone.periods_note()
    try:
        filters = filters_parse(data=request.GET)
    except FilterError as error:
        context |= {"error": str(error), "query": request.GET, **_choices(request.user)}
        return render(request, template, context, status=400)
    filters = context.get("fix", lambda f: f)(filters)
    tables = build(filters)
    query = filters.query()
    if "person" in context:  # the person whose statistics these are, for links and exports
        query["ambassador"] = str(context["person"].pk)
    # Engagement read from the networks for posts published through connected accounts: a
    # figure of its own, never mixed with clicks (docs/metrics.md).
    engagement_people = context.pop("engagement_people", None)
    context["engagement"] = [
        (Network(network).label, figures)
        for network, figures in latest_engagement(
            people=engagement_people(filters) if engagement_people else None,
            since=filters.since,
            until=filters.until,
        ).items()
    ]
    context |= {
        "filters": filters,
        "query": query,
        "export_query": urlencode(query),
        "tables": tables,
        "glance": tables.glance,
        "period_words": periods.period_words(filters),
        "presets": _presets(query),
        "shown_query": {"start": filters.start.isoformat(), "end": filters.end.isoformat()},
        "charts": _charts(tables),
        **_choices(request.user),
    }
    return render(request, template, context)


# The URL name of each page of the dashboard (dashboard.SECTIONS), in the tabs' order.
SECTION_URLS = {
    "overview": "analytics:dashboard",
    "rankings": "analytics:rankings",
    "health": "analytics:health",
}


def _sections() -> list[tuple[str, str, str]]:
    """(section, label, URL name) of each page of the dashboard."""
    labels = {
        "overview": _("Overview"),
        "rankings": _("Campaigns, posts and ambassadors"),
        "health": _("Programme health"),
    }
    return [(section, labels[section], url) for section, url in SECTION_URLS.items()]


@pilot_required
def programme(request: AuthenticatedRequest, section: str = "overview") -> HttpResponse:
    return _page(
        request,
        "analytics/dashboard.html",
        lambda filters: dashboard.programme_tables_cached(filters=filters, section=section),
        {
            "section": section,
            "sections": _sections(),
            "engagement_people": _filtered_people,
            "fix": lambda f: filters_within_scope(f, viewer=request.user),
        },
    )


def _filtered_people(filters) -> QuerySet[Person] | None:
    """The people an ambassador or group filter keeps, for the engagement figure."""
    if filters.ambassador_id:
        return Person.objects.filter(pk=filters.ambassador_id)
    if filters.group_id:
        return Person.objects.filter(groups=filters.group_id)
    return None


def statistics_person_for(request: AuthenticatedRequest) -> Person:
    """Whose statistics: one's own; editors and admins may ask for anyone's. A forged
    `ambassador` from anyone else is refused, never silently widened."""
    wanted = (request.GET.get("ambassador") or "").strip()
    if not wanted or wanted == str(request.user.pk):
        return request.user
    if not request.user.is_pilot:
        raise Http404(_("These statistics are not yours."))
    if (person_id := id_param(wanted)) is None:
        raise Http404
    return get_object_or_404(scope_of(request.user).people(), pk=person_id)


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    person = statistics_person_for(request)
    return _page(
        request,
        "analytics/mine.html",
        lambda filters: dashboard.personal_tables(filters=filters),
        {
            "person": person,
            "fix": lambda f: f.for_person(person.pk),
            "engagement_people": lambda f: Person.objects.filter(pk=person.pk),
        },
    )
