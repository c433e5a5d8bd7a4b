"""The curation inbox (pilot team)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.core.audit import audit_record
from portevoix.veille.forms import InboxFilterForm
from portevoix.veille.inbox import (
    DraftOutOfScope,
    inbox_items,
    item_dismiss,
    item_restore,
    item_to_draft,
)
from portevoix.veille.models import Item
from portevoix.veille.selectors import items_visible, sources_visible, watches_visible

PAGE_SIZE = 30


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("veille:inbox")


@pilot_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    form = InboxFilterForm(
        request.GET or None,
        sources=sources_visible(request.user),
        watches=watches_visible(request.user),
    )
    if form.is_bound and not form.is_valid():
        items = Item.objects.none()
        status = 400
    else:
        filters = form.filters() if form.is_bound else {"status": "new"}
        items = items_visible(request.user, inbox_items(**filters, viewer=request.user))
        status = 200
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "veille/inbox.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )


@pilot_required
@require_POST
def item_draft(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(items_visible(request.user), pk=item_id)
    try:
        post, created = item_to_draft(item=item, person=request.user)
    except DraftOutOfScope:
        messages.error(request, _("This item is already a post, outside your scope."))
        return redirect("veille:inbox")
    if created:
        audit_record(actor=request.user, action="veille_item_drafted", target=post)
        messages.success(request, _("Draft post created: %(title)s") % {"title": post.title})
    else:
        messages.info(request, _("This item is already a post: %(title)s") % {"title": post.title})
    # Straight to the draft: the editor finishes it (messages, targeting) while it is fresh.
    return redirect("content:post_edit", post_id=post.pk)


@pilot_required
@require_POST
def item_dismiss_view(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(items_visible(request.user), pk=item_id)
    if request.POST.get("restore") == "1":
        item_restore(item=item)
        audit_record(actor=request.user, action="veille_item_restored", target=item.title)
        messages.success(request, _("Item back in the inbox."))
    else:
        item_dismiss(item=item, person=request.user)
        audit_record(actor=request.user, action="veille_item_dismissed", target=item.title)
        messages.success(request, _("Item dismissed."))
    return _back(request)
