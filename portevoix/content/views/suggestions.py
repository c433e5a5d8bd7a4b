"""Suggestions: ambassadors propose, the pilot team accepts or declines with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.content.errors import ContentError
from portevoix.content.forms import DeclineForm, SuggestionForm
from portevoix.content.models import Suggestion, SuggestionStatus
from portevoix.content.selectors import suggestions_visible
from portevoix.content.suggestions import (
    suggestion_accept,
    suggestion_block_reason,
    suggestion_create,
    suggestion_decline,
)
from portevoix.core.audit import audit_record


@login_required
def suggestion_new(request: AuthenticatedRequest) -> HttpResponse:
    form = SuggestionForm(request.POST or None)
    block_reason = suggestion_block_reason(request.user)
    if request.method == "POST":
        if block_reason:
            messages.error(request, block_reason)
            return render(
                request,
                "content/suggestion_new.html",
                {"form": form, "block_reason": block_reason},
                status=403,
            )
        if form.is_valid():
            try:
                suggestion_create(
                    author=request.user,
                    url=form.cleaned_data["url"],
                    text=form.cleaned_data["text"],
                )
            except ContentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you! The pilot team will read your suggestion."))
                return redirect("content:my_suggestions")
    return render(
        request, "content/suggestion_new.html", {"form": form, "block_reason": block_reason}
    )


@login_required
def my_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    suggestions = Suggestion.objects.filter(author=request.user).select_related("post")
    return render(request, "content/my_suggestions.html", {"suggestions": suggestions})


@pilot_required
def suggestion_inbox(request: AuthenticatedRequest) -> HttpResponse:
    visible = suggestions_visible(request.user)
    pending = visible.filter(status=SuggestionStatus.PENDING).select_related("author")
    decided = (
        visible.exclude(status=SuggestionStatus.PENDING)
        .select_related("author", "decided_by", "post")
        .order_by("-decided_at")[:50]
    )
    return render(
        request,
        "content/suggestion_inbox.html",
        {"pending": pending, "decided": decided, "decline_form": DeclineForm()},
    )


@pilot_required
@require_POST
def suggestion_accept_view(request: AuthenticatedRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(suggestions_visible(request.user), pk=suggestion_id)
    try:
        post = suggestion_accept(suggestion=suggestion, editor=request.user)
    except ContentError as error:
        messages.error(request, str(error))
        return redirect("content:suggestions")
    audit_record(actor=request.user, action="suggestion_accepted", target=post)
    messages.success(request, _("Accepted: here is the draft, finish it and publish it."))
    return redirect("content:post_edit", post_id=post.pk)


@pilot_required
@require_POST
def suggestion_decline_view(request: AuthenticatedRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(suggestions_visible(request.user), pk=suggestion_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the author why: they will read it."))
        return redirect("content:suggestions")
    try:
        suggestion_decline(
            suggestion=suggestion, editor=request.user, reason=form.cleaned_data["reason"]
        )
    except ContentError as error:
        messages.error(request, str(error))
    else:
        audit_record(
            actor=request.user,
            action="suggestion_declined",
            target=suggestion.url,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Declined; the author will see your reason."))
    return redirect("content:suggestions")
