"""Publish now or schedule, from the share page's connected part (its buttons post here)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Network
from portevoix.connections.forms import PublishForm
from portevoix.connections.publishing import (
    ConfirmationNeeded,
    PublishError,
    active_connection,
    publication_schedule,
)
from portevoix.connections.tasks import publication_publish
from portevoix.sharing.selectors import visible_post


@login_required
@require_POST
def publish(request: AuthenticatedRequest, post_id: int, network: str) -> HttpResponse:
    person = request.user
    post = visible_post(person=person, post_id=post_id)
    if post is None or network not in Network.values:
        raise Http404
    connection = active_connection(person=person, network=network)
    form = PublishForm(request.POST)
    context = {"post": post, "network": network, "connection": connection, "form": form}
    if connection is None:
        context["problems"] = [_("Connect this network from your profile first.")]
        return render(request, "connections/publish.html", context, status=400)
    if not form.is_valid():
        return render(request, "connections/publish.html", context, status=400)
    data = form.cleaned_data
    at = None
    if data["action"] == "schedule":
        # Typed in the person's own time zone (their profile), whatever the server's.
        at = data["publish_at"].replace(tzinfo=None).replace(tzinfo=ZoneInfo(person.time_zone))
    try:
        with transaction.atomic():
            publication = publication_schedule(
                person=person,
                post=post,
                network=network,
                text=data["text"],
                at=at,
                good_time=data["action"] == "good_time",
                confirmed=data["confirm"],
            )
            if data["action"] == "now":
                transaction.on_commit(lambda: publication_publish(publication.pk))
    except ConfirmationNeeded as error:
        context["problems"] = error.reasons
        context["ask_confirmation"] = True
        return render(request, "connections/publish.html", context, status=409)
    except PublishError as error:
        context["problems"] = error.reasons
        return render(request, "connections/publish.html", context, status=400)
    if data["action"] == "now":
        messages.success(
            request,
            _("Your share is on its way to %(network)s.") % {"network": Network(network).label},
        )
    else:
        local = timezone.localtime(publication.scheduled_at, ZoneInfo(person.time_zone))
        messages.success(
            request,
            _("Your share goes out on %(network)s on %(when)s (%(zone)s).")
            % {
                "network": Network(network).label,
                "when": local.strftime("%Y-%m-%d %H:%M"),
                "zone": person.time_zone,
            },
        )
    return redirect("sharing:my_shares")
