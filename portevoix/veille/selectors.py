"""The veille a member of the pilot team may see through their entity scope
(accounts/scopes.py). Sources and watches belong to the team that set them up: a scoped
editor sees those of editors working within their scope (themselves included), and the items
and alerts that come from them; the whole organisation's editors see everything."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portevoix.accounts.models import Person
from portevoix.accounts.scopes import scope_of
from portevoix.veille.models import Alert, Item, Source, Watch


def sources_visible(viewer: Person, sources: QuerySet[Source] | None = None) -> QuerySet[Source]:
    sources = Source.objects.all() if sources is None else sources
    return sources.filter(scope_of(viewer).team_filter("created_by"))


def watches_visible(viewer: Person, watches: QuerySet[Watch] | None = None) -> QuerySet[Watch]:
    watches = Watch.objects.all() if watches is None else watches
    return watches.filter(scope_of(viewer).team_filter("created_by"))


def items_visible(viewer: Person, items: QuerySet[Item] | None = None) -> QuerySet[Item]:
    items = Item.objects.all() if items is None else items
    return items.filter(scope_of(viewer).team_filter("source__created_by"))


def alerts_visible(viewer: Person, alerts: QuerySet[Alert] | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.all() if alerts is None else alerts
    scope = scope_of(viewer)
    if scope.is_whole:
        return alerts
    return alerts.filter(
        Q(watch__isnull=False, watch__in=watches_visible(viewer).values("pk"))
        | Q(source__isnull=False, source__in=sources_visible(viewer).values("pk"))
    )
