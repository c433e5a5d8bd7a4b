"""LinkedIn, for members. Follows Microsoft Learn's LinkedIn documentation: "Sign In with
LinkedIn using OpenID Connect" (scopes `openid profile`, member id = `sub` of `GET /v2/userinfo`),
"Authorization Code Flow (3-legged OAuth)" (`/oauth/v2/authorization`, `/oauth/v2/accessToken`:
tokens for 60 days, a refresh token only for programmatic-refresh partners), "Token Revocation"
(`POST /oauth/v2/revoke`), and the Posts API (Community Management, version 202411:
`POST /rest/posts` with the `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0` headers,
an article content carrying the tracked link; the post's URN comes back in `x-restli-id`).

What LinkedIn does not give a member app: PKCE (reserved to native apps, so the state and the
client secret protect the exchange), follower counts and post statistics (r_member_social is
closed): `followers` and `engagement` say None rather than guess."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Network
from portevoix.connections.networks.base import (
    Client,
    Credentials,
    Engagement,
    Published,
    PublishRequest,
    ReconnectNeeded,
    Refused,
    TransientError,
)
from portevoix.connections.networks.http import call, json_of

AUTH_BASE = "https://www.linkedin.com"
API_BASE = "https://api.linkedin.com"
API_VERSION = "202411"
SCOPES = ("openid", "profile", "w_member_social")


class LinkedIn:
    network: Network = Network.LINKEDIN
    scopes: tuple[str, ...] = SCOPES

    def authorization_url(
        self, *, client: Client, redirect_uri: str, state: str, code_challenge: str
    ) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client.client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": " ".join(self.scopes),
            }
        )
        return f"{client.auth_base or AUTH_BASE}/oauth/v2/authorization?{query}"

    def _token(self, client: Client, form: dict[str, str]) -> dict:
        try:
            return json_of(
                call(
                    f"{client.auth_base or AUTH_BASE}/oauth/v2/accessToken",
                    method="POST",
                    form={
                        **form,
                        "client_id": client.client_id,
                        "client_secret": client.client_secret,
                    },
                )
            )
        except Refused as error:  # invalid_grant / invalid_request: connect again
            raise ReconnectNeeded(error.detail) from None

    def exchange_code(
        self, *, client: Client, redirect_uri: str, code: str, code_verifier: str
    ) -> Credentials:
        token = self._token(
            client,
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        )
        access_token = str(token["access_token"])
        member = json_of(call(f"{client.api_base}/v2/userinfo", token=access_token))
        return Credentials(
            access_token=access_token,
            refresh_token=str(token.get("refresh_token") or ""),
            expires_at=timezone.now() + timedelta(seconds=int(token.get("expires_in", 0))),
            account_id=f"urn:li:person:{member['sub']}",
            handle=str(member.get("name") or member["sub"]),
        )

    def refresh(self, *, client: Client, credentials: Credentials) -> Credentials:
        if not credentials.refresh_token:
            raise ReconnectNeeded(_("LinkedIn gave no refresh token: connect LinkedIn again."))
        token = self._token(
            client, {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token}
        )
        return Credentials(
            access_token=str(token["access_token"]),
            refresh_token=str(token.get("refresh_token") or credentials.refresh_token),
            expires_at=timezone.now() + timedelta(seconds=int(token.get("expires_in", 0))),
            account_id=credentials.account_id,
            handle=credentials.handle,
        )

    def revoke(self, *, client: Client, credentials: Credentials) -> None:
        call(
            f"{client.auth_base or AUTH_BASE}/oauth/v2/revoke",
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
        article = {"source": request.link.url, "title": request.link.title or request.link.url}
        if request.link.description:
            article["description"] = request.link.description
        result = call(
            f"{client.api_base}/rest/posts",
            method="POST",
            token=credentials.access_token,
            headers={"LinkedIn-Version": API_VERSION, "X-Restli-Protocol-Version": "2.0.0"},
            json_body={
                "author": credentials.account_id,
                "commentary": request.text,
                "visibility": "PUBLIC",
                "distribution": {
                    "feedDistribution": "MAIN_FEED",
                    "targetEntities": [],
                    "thirdPartyDistributionChannels": [],
                },
                "content": {"article": article},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": False,
            },
        )
        urn = result.header("x-restli-id")
        if not urn:
            raise TransientError(_("LinkedIn did not say which post it created."))
        return Published(post_id=urn, url=f"https://www.linkedin.com/feed/update/{quote(urn)}/")

    def followers(self, *, client: Client, credentials: Credentials) -> int | None:
        return None

    def engagement(
        self, *, client: Client, credentials: Credentials, post_id: str
    ) -> Engagement | None:
        return None
