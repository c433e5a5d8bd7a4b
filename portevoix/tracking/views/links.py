"""The pilot team's list of tracked links, where a link can be disabled."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest, pilot_required
from portevoix.core.audit import audit_record
from portevoix.tracking.links import tracked_link_set_disabled
from portevoix.tracking.selectors import link_totals, links_for_pilots, links_visible

PAGE_SIZE = 50


@pilot_required
def link_list(request: AuthenticatedRequest) -> HttpResponse:
    # NUL never reaches the database (PostgreSQL refuses it in any text: a 500).
    query = request.GET.get("q", "").replace("\x00", "")[:200]
    links = links_for_pilots(viewer=request.user, query=query)
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = link_totals(links=list(page.object_list))
    rows = [(link, totals.get(link.pk, {})) for link in page.object_list]
    return render(request, "tracking/links.html", {"page": page, "rows": rows, "query": query})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tracking:links")


@pilot_required
@require_POST
def link_disable(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(links_visible(request.user), pk=pk)
    tracked_link_set_disabled(link=link, disabled=True)
    audit_record(actor=request.user, action="link_disabled", target=link.code)
    messages.success(request, _("The link %(code)s no longer redirects.") % {"code": link.code})
    return _back(request)


@pilot_required
@require_POST
def link_enable(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(links_visible(request.user), pk=pk)
    tracked_link_set_disabled(link=link, disabled=False)
    audit_record(actor=request.user, action="link_enabled", target=link.code)
    messages.success(request, _("The link %(code)s redirects again.") % {"code": link.code})
    return _back(request)
