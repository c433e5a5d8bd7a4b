"""The admin's settings: each network's app (client id and secret) and the share pacing."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portevoix.accounts.access import AuthenticatedRequest, admin_required
from portevoix.accounts.models import Network
from portevoix.connections.clients import (
    NO_ADMIN_APP_NETWORKS,
    network_client_from_environment,
    network_client_remove,
    network_client_set,
    network_secret_optional,
)
from portevoix.connections.forms import ClientForm, SharingRulesForm
from portevoix.connections.models import NetworkClient
from portevoix.connections.networks.registry import NETWORKS
from portevoix.core.audit import audit_change, model_snapshot
from portevoix.sharing.pacing import sharing_rules, sharing_rules_update

# Mastodon registers itself on each instance; Bluesky uses app passwords: no app to set.
ADMIN_APP_NETWORKS = [n for n in NETWORKS if n not in NO_ADMIN_APP_NETWORKS]


@admin_required
def connections_settings(request: AuthenticatedRequest) -> HttpResponse:
    rules = sharing_rules()
    clients = {c.network: c for c in NetworkClient.objects.all()}
    rules_form = SharingRulesForm(
        request.POST if request.POST.get("part") == "rules" else None,
        initial={
            "hours_start": rules.hours_start,
            "hours_end": rules.hours_end,
            "weekdays": list(rules.weekdays),
            "daily_limit": rules.daily_limit,
            "post_hour_limit": rules.post_hour_limit,
        },
    )
    client_forms = {
        network: ClientForm(
            request.POST if request.POST.get("part") == network else None,
            prefix=network,
            initial={"client_id": clients[network].client_id if network in clients else ""},
        )
        for network in ADMIN_APP_NETWORKS
    }
    if request.method == "POST":
        part = request.POST.get("part", "")
        if part == "rules" and rules_form.is_valid():
            data = rules_form.cleaned_data
            before = model_snapshot(rules)
            sharing_rules_update(
                hours_start=data["hours_start"],
                hours_end=data["hours_end"],
                weekdays="".join(sorted(data["weekdays"])),
                daily_limit=data["daily_limit"],
                post_hour_limit=data["post_hour_limit"],
            )
            audit_change(
                actor=request.user,
                action="sharing_rules_updated",
                target=_("Sharing rules"),
                before=before,
                after=model_snapshot(sharing_rules()),
            )
            messages.success(request, _("The sharing rules are saved."))
            return redirect("connections:settings")
        if part in client_forms:
            form = client_forms[part]
            if form.is_valid():
                client_id = form.cleaned_data["client_id"].strip()
                secret = form.cleaned_data["client_secret"].strip()
                if not client_id:
                    network_client_remove(network=part, actor=request.user)
                    messages.success(
                        request, _("The app is removed: people share through the network's page.")
                    )
                    return redirect("connections:settings")
                if not secret and part not in clients and not network_secret_optional(part):
                    form.add_error("client_secret", _("Give the client secret."))
                else:
                    network_client_set(
                        network=part, client_id=client_id, client_secret=secret, actor=request.user
                    )
                    messages.success(request, _("The app is saved."))
                    return redirect("connections:settings")
    return render(
        request,
        "connections/settings.html",
        {
            "rules_form": rules_form,
            "clients": [
                (
                    network,
                    Network(network).label,
                    form,
                    network_client_from_environment(network),
                    request.build_absolute_uri(reverse("connections:callback", args=[network])),
                    network_secret_optional(network),
                )
                for network, form in client_forms.items()
            ],
            "organisation_zone": settings.TIME_ZONE,
        },
        status=400 if request.method == "POST" else 200,
    )
