"""Mastodon, any instance. Follows the Mastodon documentation (docs.joinmastodon.org, API of
Mastodon 4.3): apps (`POST /api/v1/apps`), OAuth (`/oauth/authorize` with PKCE S256,
`/oauth/token`, `/oauth/revoke`), `GET /api/v1/accounts/verify_credentials`,
`POST /api/v1/statuses` with an `Idempotency-Key`, `GET /api/v1/statuses/:id`.

Each instance is its own server: the app is registered on it (`app_register`) and kept
(models.MastodonApp); `Client.api_base` and `auth_base` are the instance's base URL."""

from __future__ import annotations

from portevoix.accounts.models import Network
from portevoix.connections.networks.base import (
    Client,
    Credentials,
    Engagement,
    Published,
    PublishRequest,
    ReconnectNeeded,
    Refused,
)
from portevoix.connections.networks.http import call, json_of, pkce_authorization_query

SCOPES = ("read:accounts", "read:statuses", "write:statuses")


class Mastodon:
    network: Network = Network.MASTODON
    scopes: tuple[str, ...] = SCOPES

    def app_register(
        self, *, base_url: str, redirect_uri: str, name: str, website: str
    ) -> tuple[str, str]:
        """Register our app on an instance: (client_id, client_secret)."""
        data = json_of(
            call(
                f"{base_url}/api/v1/apps",
                method="POST",
                form={
                    "client_name": name,
                    "redirect_uris": redirect_uri,
                    "scopes": " ".join(self.scopes),
                    "website": website,
                },
            )
        )
        return str(data["client_id"]), str(data["client_secret"])

    def authorization_url(
        self, *, client: Client, redirect_uri: str, state: str, code_challenge: str
    ) -> str:
        query = pkce_authorization_query(
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            scopes=self.scopes,
            state=state,
            code_challenge=code_challenge,
        )
        return f"{client.auth_base or client.api_base}/oauth/authorize?{query}"

    def exchange_code(
        self, *, client: Client, redirect_uri: str, code: str, code_verifier: str
    ) -> Credentials:
        try:
            token = json_of(
                call(
                    f"{client.api_base}/oauth/token",
                    method="POST",
                    form={
                        "grant_type": "authorization_code",
                        "code": code,
                        "client_id": client.client_id,
                        "client_secret": client.client_secret,
                        "redirect_uri": redirect_uri,
                        "code_verifier": code_verifier,
                        "scope": " ".join(self.scopes),
                    },
                )
            )
        except Refused as error:  # invalid_grant: a code used twice, expired, or not ours
            raise ReconnectNeeded(error.detail) from None
        access_token = str(token["access_token"])
        account = self._account(client=client, token=access_token)
        host = client.api_base.split("://", 1)[-1]
        return Credentials(
            access_token=access_token,
            refresh_token=str(token.get("refresh_token") or ""),
            expires_at=None,
            account_id=str(account["id"]),
            handle=f"@{account['acct']}@{host}"
            if "@" not in account["acct"]
            else f"@{account['acct']}",
            server=client.api_base,
        )

    def _account(self, *, client: Client, token: str) -> dict:
        return json_of(call(f"{client.api_base}/api/v1/accounts/verify_credentials", token=token))

    def refresh(self, *, client: Client, credentials: Credentials) -> Credentials:
        """Mastodon's tokens do not expire unless revoked; an instance that gave a refresh token
        is asked for a new one."""
        if not credentials.refresh_token:
            return credentials
        try:
            token = json_of(
                call(
                    f"{client.api_base}/oauth/token",
                    method="POST",
                    form={
                        "grant_type": "refresh_token",
                        "refresh_token": credentials.refresh_token,
                        "client_id": client.client_id,
                        "client_secret": client.client_secret,
                    },
                )
            )
        except Refused as error:
            raise ReconnectNeeded(error.detail) from None
        return Credentials(
            access_token=str(token["access_token"]),
            refresh_token=str(token.get("refresh_token") or credentials.refresh_token),
            expires_at=None,
            account_id=credentials.account_id,
            handle=credentials.handle,
            server=credentials.server,
        )

    def revoke(self, *, client: Client, credentials: Credentials) -> None:
        call(
            f"{client.api_base}/oauth/revoke",
            method="POST",
            form={
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "token": credentials.access_token,
            },
        )

    def publish(
        self, *, client: Client, credentials: Credentials, request: PublishRequest
    ) -> Published:
        text = request.text
        if request.link.url and request.link.url not in text:
            text = f"{text}\n\n{request.link.url}".strip()
        status = json_of(
            call(
                f"{client.api_base}/api/v1/statuses",
                method="POST",
                token=credentials.access_token,
                form={"status": text, "visibility": "public"},
                headers={"Idempotency-Key": request.idempotency_key},
            )
        )
        return Published(post_id=str(status["id"]), url=str(status.get("url") or status.get("uri")))

    def followers(self, *, client: Client, credentials: Credentials) -> int | None:
        count = self._account(client=client, token=credentials.access_token).get("followers_count")
        return int(count) if isinstance(count, int) else None

    def engagement(
        self, *, client: Client, credentials: Credentials, post_id: str
    ) -> Engagement | None:
        status = json_of(
            call(f"{client.api_base}/api/v1/statuses/{post_id}", token=credentials.access_token)
        )
        return Engagement(
            likes=_count(status.get("favourites_count")),
            reposts=_count(status.get("reblogs_count")),
            replies=_count(status.get("replies_count")),
        )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None
