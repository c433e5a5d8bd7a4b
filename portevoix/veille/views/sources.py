"""Sources: list, add, edit, fetch now, resume, delete (pilot team)."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.core.audit import audit_change, audit_record, model_snapshot
from portevoix.veille.fetching import source_reset, source_resume
from portevoix.veille.forms import SourceForm
from portevoix.veille.selectors import sources_visible
from portevoix.veille.tasks import fetch_source

# What the fetcher keeps about a source changes on every fetch: not the pilot team's doing.
SOURCE_STATE = (
    "etag",
    "last_modified",
    "next_fetch_at",
    "last_fetched_at",
    "last_success_at",
    "last_error",
    "last_error_at",
    "consecutive_failures",
    "paused_at",
)


@pilot_required
def source_list(request: AuthenticatedRequest) -> HttpResponse:
    sources = (
        sources_visible(request.user).annotate(item_count=Count("items")).prefetch_related("topics")
    )
    return render(request, "veille/sources.html", {"sources": sources})


@pilot_required
def source_create(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        source.created_by = request.user
        source.save()
        form.save_m2m()
        audit_change(
            actor=request.user,  # type: ignore[arg-type]
            action="source_created",
            target=source,
            before={},
            after=model_snapshot(source, exclude=SOURCE_STATE),
        )
        fetch_source(source.pk)  # the worker reads it at once
        messages.success(
            request, _("Source added: %(name)s. It is being read now.") % {"name": source.name}
        )
        return redirect("veille:sources")
    status = 400 if form.is_bound else 200
    return render(request, "veille/source_form.html", {"form": form}, status=status)


@pilot_required
def source_edit(request: AuthenticatedRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(sources_visible(request.user), pk=source_id)
    before = model_snapshot(source, exclude=SOURCE_STATE)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        source = form.save()
        audit_change(
            actor=request.user,
            action="source_changed",
            target=source,
            before=before,
            after=model_snapshot(source, exclude=SOURCE_STATE),
        )
        if "url" in form.changed_data:
            source_reset(source=source)
            fetch_source(source.pk)
        messages.success(request, _("Saved."))
        return redirect("veille:sources")
    status = 400 if form.is_bound else 200
    return render(
        request, "veille/source_form.html", {"form": form, "source": source}, status=status
    )


@pilot_required
@require_POST
def source_fetch_now(request: AuthenticatedRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(sources_visible(request.user), pk=source_id)
    if source.is_paused:
        source_resume(source=source)
    fetch_source(source.pk)
    audit_record(actor=request.user, action="source_fetched", target=source)
    messages.success(request, _("%(name)s is being read now.") % {"name": source.name})
    return redirect("veille:sources")


@pilot_required
@require_POST
def source_delete(request: AuthenticatedRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(sources_visible(request.user), pk=source_id)
    before = model_snapshot(source, exclude=SOURCE_STATE)
    source.delete()
    audit_change(
        actor=request.user,
        action="source_deleted",
        target=source.name,
        before=before,
        after={},
    )
    messages.success(request, _("Source deleted with its items: %(name)s") % {"name": source.name})
    return redirect("veille:sources")
