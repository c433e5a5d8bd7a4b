"""A person's connected accounts: connect (OAuth), come back, disconnect; their publications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Network
from portevoix.accounts.participation import sharing_block_reason
from portevoix.connections.clients import ConnectError, connectable_networks
from portevoix.connections.connecting import (
    connect_finish,
    connect_start,
    connection_disconnect,
    connection_with_password,
)
from portevoix.connections.forms import BlueskyConnectForm, MastodonConnectForm
from portevoix.connections.models import Connection, ConnectionStatus, Publication
from portevoix.connections.networks.registry import network_module
from portevoix.connections.publishing import publication_cancel
from portevoix.connections.readings import connection_expires_soon


def _redirect_uri(request: AuthenticatedRequest, network: str) -> str:
    return request.build_absolute_uri(reverse("connections:callback", args=[network]))


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    connections = list(Connection.objects.filter(person=person))
    connected = {c.network for c in connections}
    return render(
        request,
        "connections/mine.html",
        {
            "connections": [(c, connection_expires_soon(c)) for c in connections],
            "available": [
                (network, Network(network).label)
                for network in connectable_networks()
                if network not in connected
                # Reconnecting: refused credentials, or a token about to end.
                or any(
                    c.network == network
                    and (c.status != ConnectionStatus.ACTIVE or connection_expires_soon(c))
                    for c in connections
                )
            ],
            "mastodon_form": MastodonConnectForm(initial={"instance": person.mastodon_instance}),
            "bluesky_form": BlueskyConnectForm(),
            "block_reason": sharing_block_reason(person),
            "publications": Publication.objects.filter(person=person)
            .select_related("post")
            .order_by("-scheduled_at")[:50],
        },
    )


@login_required
@require_POST
def connect(request: AuthenticatedRequest, network: str) -> HttpResponse:
    if network_module(network) is None:
        raise Http404
    if reason := sharing_block_reason(request.user):
        messages.error(request, reason)
        return redirect("connections:mine")
    if network == Network.BLUESKY:
        return _connect_with_password(request, network)
    instance = ""
    if network == Network.MASTODON:
        form = MastodonConnectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give your instance's name, for example mastodon.social."))
            return redirect("connections:mine")
        instance = form.cleaned_data["instance"]
    try:
        url = connect_start(
            session=request.session,
            network=network,
            redirect_uri=_redirect_uri(request, network),
            website=request.build_absolute_uri("/"),
            instance=instance,
        )
    except ConnectError as error:
        messages.error(request, str(error))
        return redirect("connections:mine")
    # The network's authorisation page: another site, on purpose.
    return redirect(url)


def _connect_with_password(request: AuthenticatedRequest, network: str) -> HttpResponse:
    """Bluesky: the handle and an app password, checked at the person's server at once."""
    form = BlueskyConnectForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Give your Bluesky handle and an app password created in Bluesky's settings."),
        )
        return redirect("connections:mine")
    try:
        connection = connection_with_password(
            person=request.user,
            network=network,
            handle=form.cleaned_data["handle"],
            password=form.cleaned_data["app_password"],
        )
    except ConnectError as error:
        messages.error(request, str(error))
        return redirect("connections:mine")
    messages.success(
        request,
        _("Your %(network)s account %(handle)s is connected.")
        % {"network": connection.get_network_display(), "handle": connection.handle},
    )
    return redirect("connections:mine")


@login_required
def callback(request: AuthenticatedRequest, network: str) -> HttpResponse:
    if network_module(network) is None:
        raise Http404
    if request.GET.get("error"):
        # The person said no on the network's page (or the network refused): nothing changes,
        # and the state is used up.
        request.session.get("connections_oauth", {}).pop(request.GET.get("state", ""), None)
        request.session.modified = True
        messages.error(request, _("The connection was not made: access was not given."))
        return redirect("connections:mine")
    try:
        connection = connect_finish(
            session=request.session,
            person=request.user,
            network=network,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            redirect_uri=_redirect_uri(request, network),
        )
    except ConnectError as error:
        messages.error(request, str(error))
        return redirect("connections:mine")
    messages.success(
        request,
        _("Your %(network)s account %(handle)s is connected.")
        % {"network": connection.get_network_display(), "handle": connection.handle},
    )
    return redirect("connections:mine")


@login_required
@require_POST
def disconnect(request: AuthenticatedRequest, connection_id: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=connection_id, person=request.user)
    label = connection.get_network_display()
    if connection_disconnect(connection=connection, actor=request.user):
        messages.success(
            request, _("%(network)s is disconnected and its access revoked.") % {"network": label}
        )
    else:
        messages.success(
            request,
            _(
                "%(network)s is disconnected here; the network did not confirm the revocation, you can also remove the app from your account's settings there."
            )
            % {"network": label},
        )
    return redirect("connections:mine")


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, publication_id: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=publication_id, person=request.user)
    if publication_cancel(publication=publication, person=request.user):
        messages.success(request, _("The scheduled share is cancelled."))
    else:
        messages.error(request, _("This share can no longer be cancelled: it has gone out."))
    if request.POST.get("next") == "my_shares":
        return redirect("sharing:my_shares")
    return redirect("connections:mine")
