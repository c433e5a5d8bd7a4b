"""Connecting an account with OAuth: the authorisation request (state bound to the session,
PKCE S256), the way back (state checked and used once, code exchanged), the tokens sealed;
and disconnecting (revoked where the network allows it, deleted here)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Network, Person
from portevoix.connections.clients import (
    ConnectError,
    mastodon_app_client,
    mastodon_client,
    mastodon_instance_clean,
    network_client,
)
from portevoix.connections.models import (
    TOKEN_PURPOSE,
    Connection,
    ConnectionStatus,
    MastodonApp,
)
from portevoix.connections.networks.base import (
    Client,
    ConnectedNetwork,
    Credentials,
    NetworkError,
    ReconnectNeeded,
    TransientError,
)
from portevoix.connections.networks.bluesky import BlueskyNetwork
from portevoix.connections.networks.registry import network_module
from portevoix.core.audit import audit_record
from portevoix.core.secrets import secret_seal, secret_unseal

SESSION_KEY = "connections_oauth"
STATE_LIFETIME = 15 * 60  # seconds a person has to come back from the network
# A token this close to its end is refreshed before use rather than refused during it (X's and
# Bluesky's access tokens last about two hours).
REFRESH_MARGIN = timedelta(minutes=5)


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def connection_client(*, network: str, server: str) -> Client | None:
    """The client a connection acts through: the admin's app, our app on its instance, or
    none needed (Bluesky: the session tokens alone, at the account's own server)."""
    if network == Network.BLUESKY:
        return Client(client_id="", client_secret="", api_base=server)
    if network == Network.MASTODON:
        app = MastodonApp.objects.filter(base_url=server).first()
        if app is None:
            return None
        return mastodon_app_client(app)
    return network_client(network)


def connect_start(
    *,
    session: MutableMapping[str, Any],
    network: str,
    redirect_uri: str,
    website: str,
    instance: str = "",
) -> str:
    """The address of the network's authorisation page; what we need to finish is kept in the
    person's session under a fresh state."""
    module = network_module(network)
    if module is None:
        raise ConnectError(_("This network cannot be connected."))
    host = ""
    if network == Network.MASTODON:
        host = mastodon_instance_clean(instance)
        client = mastodon_client(host=host, redirect_uri=redirect_uri, website=website)
    else:
        found = network_client(network)
        if found is None:
            raise ConnectError(_("This network is not set up here: share through its page."))
        client = found
    state = secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair()
    pending = {
        key: value
        for key, value in dict(session.get(SESSION_KEY, {})).items()
        if value.get("at", 0) > time.time() - STATE_LIFETIME
    }
    pending[state] = {"network": network, "verifier": verifier, "host": host, "at": time.time()}
    session[SESSION_KEY] = pending
    return module.authorization_url(
        client=client, redirect_uri=redirect_uri, state=state, code_challenge=challenge
    )


def connect_finish(
    *,
    session: MutableMapping[str, Any],
    person: Person,
    network: str,
    state: str,
    code: str,
    redirect_uri: str,
) -> Connection:
    """Back from the network: the state must be one this session started, for this network,
    not too old, and is used up now (a replayed answer finds it gone)."""
    pending = dict(session.get(SESSION_KEY, {}))
    started = pending.pop(state, None) if state else None
    session[SESSION_KEY] = pending
    if (
        started is None
        or started.get("network") != network
        or started.get("at", 0) < time.time() - STATE_LIFETIME
    ):
        raise ConnectError(
            _(
                "This answer does not match a connection you started here (or it was already used). Start again from your profile."
            )
        )
    if not code:
        raise ConnectError(_("The network did not give access: nothing was connected."))
    module = network_module(network)
    if module is None:
        raise ConnectError(_("This network cannot be connected."))
    if network == Network.MASTODON:
        app = MastodonApp.objects.filter(instance=started["host"]).first()
        if app is None:
            raise ConnectError(_("Start again from your profile."))
        client: Client | None = mastodon_app_client(app)
    else:
        client = network_client(network)
    if client is None:
        raise ConnectError(_("This network is not set up here: share through its page."))
    try:
        credentials = module.exchange_code(
            client=client, redirect_uri=redirect_uri, code=code, code_verifier=started["verifier"]
        )
    except NetworkError as error:
        raise ConnectError(
            _("The network refused the connection (%(detail)s). Start again from your profile.")
            % {"detail": error.detail}
        ) from None
    except (KeyError, TypeError, ValueError):
        raise ConnectError(
            _("The network's answer was not understood: nothing was connected.")
        ) from None
    connection = connection_save(person=person, network=network, credentials=credentials)
    if network == Network.MASTODON and not person.mastodon_instance:
        # The instance they connected is theirs: the share page needs it too.
        person.mastodon_instance = started["host"]
        person.save(update_fields=["mastodon_instance"])
    audit_record(actor=person, action="connection_added", target=person, network=network)
    return connection


def connection_with_password(
    *, person: Person, network: str, handle: str, password: str
) -> Connection:
    """Connect a network that signs in with an app password (Bluesky). The password is used
    once to open a session and never kept: only the session's tokens are, sealed."""
    module = network_module(network)
    if not isinstance(module, BlueskyNetwork):
        raise ConnectError(_("This network cannot be connected."))
    try:
        credentials = module.connect_with_password(
            handle,
            password,
            directory=settings.BLUESKY_DIRECTORY_URL,
            resolver=settings.BLUESKY_RESOLVER_URL,
        )
    except TransientError as error:
        raise ConnectError(
            _("Bluesky could not be reached (%(detail)s): nothing was connected, try again later.")
            % {"detail": error.detail}
        ) from None
    except NetworkError as error:  # unknown handle, wrong app password: in Bluesky's words
        raise ConnectError(error.detail) from None
    except (KeyError, TypeError, ValueError):
        raise ConnectError(
            _("The network's answer was not understood: nothing was connected.")
        ) from None
    connection = connection_save(person=person, network=network, credentials=credentials)
    audit_record(actor=person, action="connection_added", target=person, network=network)
    return connection


def connection_credentials(
    connection: Connection,
    *,
    module: ConnectedNetwork,
    client: Client,
    now: datetime | None = None,
    force: bool = False,
) -> Credentials:
    """The credentials to act with: refreshed first through the network's `refresh` when the
    access token ends within REFRESH_MARGIN (or `force`: the network refused it early), and
    the new ones sealed into the row. The row is locked while refreshing: X rotates refresh
    tokens, so two refreshes at once (the worker publishing, a reading) would spend the same
    one. Raises what `refresh` raises: ReconnectNeeded when the network refuses it."""
    now = now or timezone.now()
    credentials = credentials_of(connection)
    if not force and (
        credentials.expires_at is None or credentials.expires_at > now + REFRESH_MARGIN
    ):
        return credentials
    if not credentials.refresh_token:
        raise ReconnectNeeded(_("This connection has expired: connect it again."))
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if bytes(locked.refresh_token_sealed) != bytes(connection.refresh_token_sealed):
            # Refreshed by someone else while we waited for the lock: theirs is the new one.
            credentials = credentials_of(locked)
        else:
            credentials = module.refresh(client=client, credentials=credentials)
            credentials_store(locked, credentials)
            locked.save()
    credentials_store(connection, credentials)
    return credentials


def connection_save(*, person: Person, network: str, credentials: Credentials) -> Connection:
    connection = Connection.objects.filter(person=person, network=network).first()
    if connection is None:
        connection = Connection(person=person, network=network)
    credentials_store(connection, credentials)
    connection.status = ConnectionStatus.ACTIVE
    connection.connected_at = timezone.now()
    connection.expiry_warned_at = None
    connection.save()
    return connection


def credentials_store(connection: Connection, credentials: Credentials) -> None:
    """Seal the tokens into the row (not saved here)."""
    connection.account_id = credentials.account_id
    connection.handle = credentials.handle
    connection.server = credentials.server
    connection.access_token_sealed = secret_seal(credentials.access_token, purpose=TOKEN_PURPOSE)
    connection.refresh_token_sealed = (
        secret_seal(credentials.refresh_token, purpose=TOKEN_PURPOSE)
        if credentials.refresh_token
        else b""
    )
    connection.expires_at = credentials.expires_at


def credentials_of(connection: Connection) -> Credentials:
    refresh = bytes(connection.refresh_token_sealed or b"")
    return Credentials(
        access_token=secret_unseal(connection.access_token_sealed, purpose=TOKEN_PURPOSE),
        refresh_token=secret_unseal(refresh, purpose=TOKEN_PURPOSE) if refresh else "",
        expires_at=connection.expires_at,
        account_id=connection.account_id,
        handle=connection.handle,
        server=connection.server,
    )


def connection_disconnect(*, connection: Connection, actor: Person | None) -> bool:
    """Revoke the token where the network allows it, then forget it here, whatever the
    network answered. True when the network confirmed the revocation."""
    revoked = False
    module = network_module(connection.network)
    client = connection_client(network=connection.network, server=connection.server)
    if module is not None and client is not None:
        try:
            module.revoke(client=client, credentials=credentials_of(connection))
            revoked = True
        except NetworkError:
            revoked = False
    with transaction.atomic():
        network = connection.network
        person = connection.person
        connection.delete()
        audit_record(actor=actor, action="connection_removed", target=person, network=network)
    return revoked
