"""A person's notifications, and unsubscribing from an e-mail."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Person
from portevoix.notifications.emails import unsubscribe, unsubscribe_read
from portevoix.notifications.inapp import notifications_for, notifications_mark_read
from portevoix.notifications.models import Kind


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedRequest) -> HttpResponse:
    notifications_mark_read(person=request.user)
    return redirect("notifications:list")


# One-click unsubscribe (RFC 8058): mail clients POST without a CSRF token; the signed token
# is the proof, and it only ever unsubscribes its own person from its own kind.
@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    decoded = unsubscribe_read(token) if len(token) < 300 else None
    person = Person.objects.filter(pk=decoded[0]).first() if decoded else None
    if decoded is None or person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind_label = Kind(decoded[1]).label
    if request.method == "POST":
        unsubscribe(person=person, kind=decoded[1])
        return render(request, "notifications/unsubscribed.html", {"kind": kind_label})
    return render(request, "notifications/unsubscribe.html", {"kind": kind_label, "token": token})
