"""Watches: list with the mentions chart, add, edit, delete (pilot team)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.core.audit import audit_change, model_snapshot
from portevoix.veille.charts import Series, legend, line_chart_svg
from portevoix.veille.forms import WatchForm
from portevoix.veille.models import Tone, Watch
from portevoix.veille.selectors import items_visible, watches_visible
from portevoix.veille.tasks import rematch_watch
from portevoix.veille.watches import mentions_per_day, watches_with_counts

CHART_DAYS = 30


@pilot_required
def watch_list(request: AuthenticatedRequest) -> HttpResponse:
    items = items_visible(request.user)
    watches = list(watches_visible(request.user, watches_with_counts(items=items)))
    days, counts = mentions_per_day(watches=watches, days=CHART_DAYS, items=items)
    series = [Series(watch.name, counts[watch.pk]) for watch in watches]
    chart = line_chart_svg(
        title=_("Mentions per day and watch, last %(days)d days") % {"days": CHART_DAYS},
        days=days,
        series=series,
    )
    table = [(day, [s.values[i] for s in series]) for i, day in enumerate(days)]
    context = {
        "watches": watches,
        "chart": chart,
        "legend": legend(series),
        "series": series,
        "table": table,
    }
    return render(request, "veille/watches.html", context)


@pilot_required
def watch_detail(request: AuthenticatedRequest, watch_id: int) -> HttpResponse:
    watch = get_object_or_404(watches_visible(request.user), pk=watch_id)
    visible = items_visible(request.user)
    days, all_counts = mentions_per_day(watches=[watch], days=CHART_DAYS, items=visible)
    _days, negative_counts = mentions_per_day(
        watches=[watch], days=CHART_DAYS, tone=Tone.NEGATIVE, items=visible
    )
    series = [
        Series(_("All mentions"), all_counts[watch.pk]),
        Series(_("Negative"), negative_counts[watch.pk]),
    ]
    chart = line_chart_svg(
        title=_("Mentions of %(watch)s per day, last %(days)d days")
        % {"watch": watch.name, "days": CHART_DAYS},
        days=days,
        series=series,
    )
    table = [(day, [s.values[i] for s in series]) for i, day in enumerate(days)]
    items = items_visible(request.user, watch.items.select_related("source")).order_by("-dated_at")[
        :30
    ]
    context = {
        "watch": watch,
        "chart": chart,
        "legend": legend(series),
        "series": series,
        "table": table,
        "items": items,
        "alerts": watch.alerts.all()[:10],
    }
    return render(request, "veille/watch_detail.html", context)


def _watch_form(request: HttpRequest, watch: Watch | None) -> HttpResponse:
    before = model_snapshot(watch) if watch else {}
    form = WatchForm(request.POST or None, instance=watch)
    if request.method == "POST" and form.is_valid():
        watch = form.save(commit=False)
        if watch.pk is None:
            watch.created_by = request.user
        watch.save()
        form.save_m2m()
        audit_change(
            actor=request.user,  # type: ignore[arg-type]
            action="watch_changed" if before else "watch_created",
            target=watch,
            before=before,
            after=model_snapshot(watch),
        )
        rematch_watch(watch.pk)
        messages.success(
            request, _("Watch saved: %(name)s. Every item is being matched.") % {"name": watch.name}
        )
        return redirect("veille:watch", watch_id=watch.pk)
    status = 400 if form.is_bound else 200
    return render(request, "veille/watch_form.html", {"form": form, "watch": watch}, status=status)


@pilot_required
def watch_create(request: HttpRequest) -> HttpResponse:
    return _watch_form(request, None)


@pilot_required
def watch_edit(request: AuthenticatedRequest, watch_id: int) -> HttpResponse:
    return _watch_form(request, get_object_or_404(watches_visible(request.user), pk=watch_id))


@pilot_required
@require_POST
def watch_delete(request: AuthenticatedRequest, watch_id: int) -> HttpResponse:
    watch = get_object_or_404(watches_visible(request.user), pk=watch_id)
    before = model_snapshot(watch)
    watch.delete()
    audit_change(
        actor=request.user,
        action="watch_deleted",
        target=watch.name,
        before=before,
        after={},
    )
    messages.success(request, _("Watch deleted: %(name)s") % {"name": watch.name})
    return redirect("veille:watches")
