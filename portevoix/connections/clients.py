"""How we are known to each network: the admin's app (LinkedIn, X) from the environment or the
settings page, and our app on each Mastodon instance, registered on first use and kept."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Network, Person
from portevoix.connections.models import CLIENT_SECRET_PURPOSE, MastodonApp, NetworkClient
from portevoix.connections.networks.base import Client, NetworkError
from portevoix.connections.networks.mastodon import Mastodon
from portevoix.connections.networks.registry import NETWORKS
from portevoix.core.audit import audit_record
from portevoix.core.fetch import FetchError, check_fetchable_url
from portevoix.core.secrets import secret_seal, secret_unseal

MASTODON = Mastodon()


class ConnectError(Exception):
    """A connection that cannot be made, in words for the person."""


# X lets an app be a public client (no secret: PKCE alone, x.py sends client_id in the form).
PUBLIC_CLIENT_NETWORKS = frozenset({Network.X})


def _client_complete(network: str, client_id: str, client_secret: str) -> bool:
    return bool(client_id and (client_secret or network in PUBLIC_CLIENT_NETWORKS))


def network_client(network: str) -> Client | None:
    """The admin's app for a network with a registered app, or None (the share page stays)."""
    auth_base, api_base = settings.CONNECTIONS_ENDPOINTS.get(network, ("", ""))
    client_id, client_secret = settings.CONNECTIONS_CLIENTS.get(network, ("", ""))
    if not _client_complete(network, client_id, client_secret):
        row = NetworkClient.objects.filter(network=network).first()
        if row is None:
            return None
        sealed = bytes(row.client_secret_sealed or b"")
        client_id = row.client_id
        client_secret = secret_unseal(sealed, purpose=CLIENT_SECRET_PURPOSE) if sealed else ""
        if not _client_complete(network, client_id, client_secret):
            return None
    return Client(
        client_id=client_id, client_secret=client_secret, api_base=api_base, auth_base=auth_base
    )


def network_client_from_environment(network: str) -> bool:
    client_id, client_secret = settings.CONNECTIONS_CLIENTS.get(network, ("", ""))
    return _client_complete(network, client_id, client_secret)


def network_secret_optional(network: str) -> bool:
    return network in PUBLIC_CLIENT_NETWORKS


def network_client_set(*, network: str, client_id: str, client_secret: str, actor: Person) -> None:
    """The admin's app for a network; an empty secret keeps the one already set."""
    row = NetworkClient.objects.filter(network=network).first()
    if row is None:
        row = NetworkClient(network=network)
    row.client_id = client_id
    if client_secret:
        row.client_secret_sealed = secret_seal(client_secret, purpose=CLIENT_SECRET_PURPOSE)
    row.updated_at = timezone.now()
    row.save()
    audit_record(actor=actor, action="connections_client_set", network=network)


def network_client_remove(*, network: str, actor: Person) -> None:
    NetworkClient.objects.filter(network=network).delete()
    audit_record(actor=actor, action="connections_client_removed", network=network)


def mastodon_instance_clean(instance: str) -> str:
    """A Mastodon instance as a person types it, `mastodon.social` or `@me@mastodon.social`:
    its host name, lower case. A URL, an IP address, `localhost` or a name that reaches a
    private network is refused, through the same address guard as every outside fetch (a host
    in FETCH_ALLOWED_PRIVATE_HOSTS, with its port, is let through: the tests' local server)."""
    host = instance.strip().lower().rsplit("@", 1)[-1]
    if not host or "/" in host or " " in host:
        raise ConnectError(_("Give your instance's name only, for example mastodon.social."))
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:
        name = ""
    if name not in settings.FETCH_ALLOWED_PRIVATE_HOSTS and (
        ":" in host or "." not in host or _is_ip_address(host)
    ):
        raise ConnectError(_("Give your instance's name only, for example mastodon.social."))
    try:
        check_fetchable_url(mastodon_base_url(host), https_only=True)
    except FetchError as error:
        raise ConnectError(str(error)) from None
    return host


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def mastodon_base_url(host: str) -> str:
    """https, except for a host the tests allow on loopback (FETCH_ALLOWED_PRIVATE_HOSTS)."""
    name = urlsplit(f"//{host}").hostname or ""
    scheme = "http" if name in settings.FETCH_ALLOWED_PRIVATE_HOSTS else "https"
    return f"{scheme}://{host}"


def mastodon_client(*, host: str, redirect_uri: str, website: str) -> Client:
    """Our app on this instance: registered once, then kept (and registered again if the
    address we come back to has changed)."""
    app = MastodonApp.objects.filter(instance=host).first()
    if app is None or app.redirect_uri != redirect_uri:
        base_url = mastodon_base_url(host)
        try:
            client_id, client_secret = MASTODON.app_register(
                base_url=base_url, redirect_uri=redirect_uri, name="Portevoix", website=website
            )
        except (KeyError, TypeError, ValueError):
            raise ConnectError(
                _("The instance %(host)s did not answer as Mastodon does.") % {"host": host}
            ) from None
        except NetworkError as error:
            raise ConnectError(
                _("The instance %(host)s did not let us register: %(detail)s")
                % {"host": host, "detail": error.detail}
            ) from None
        sealed = secret_seal(client_secret, purpose=CLIENT_SECRET_PURPOSE)
        if app is None:
            try:
                app = MastodonApp.objects.create(
                    instance=host,
                    base_url=base_url,
                    redirect_uri=redirect_uri,
                    client_id=client_id,
                    client_secret_sealed=sealed,
                )
            except IntegrityError:  # registered at the same moment by a colleague: theirs
                app = MastodonApp.objects.get(instance=host)
        else:
            app.base_url, app.redirect_uri, app.client_id = base_url, redirect_uri, client_id
            app.client_secret_sealed = sealed
            app.save()
    return mastodon_app_client(app)


def mastodon_app_client(app: MastodonApp) -> Client:
    return Client(
        client_id=app.client_id,
        client_secret=secret_unseal(app.client_secret_sealed, purpose=CLIENT_SECRET_PURPOSE),
        api_base=app.base_url,
        auth_base=app.base_url,
    )


# Networks that need no app registered by the admin: Portevoix registers itself on each
# Mastodon instance, and Bluesky's people connect with app passwords.
NO_ADMIN_APP_NETWORKS = (Network.MASTODON, Network.BLUESKY)


def connectable_networks() -> list[str]:
    """Networks a person can connect here: Mastodon and Bluesky always, the others once the
    admin registered their app."""
    return [
        network
        for network in NETWORKS
        if network in NO_ADMIN_APP_NETWORKS or network_client(network) is not None
    ]
