"""Who calls: a bearer token (personal or service) or the platform's own pages' session (with
CSRF on unsafe methods). Each caller is then held to the rate limit of its token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.security import HttpBearer, SessionAuth

from portevoix.accounts.models import Person
from portevoix.api.models import SCOPE_RANK, ApiToken, Scope
from portevoix.api.problems import ApiProblem
from portevoix.api.tokens import api_token_find


@dataclass(frozen=True)
class Caller:
    person: Person
    scope: Scope
    token: ApiToken | None  # None: the person's own session in a page of the platform

    def allows(self, scope: Scope) -> bool:
        return SCOPE_RANK[self.scope] >= SCOPE_RANK[scope]


def rate_limit(request: HttpRequest, key: str) -> None:
    usage = get_usage(
        request,
        group="api",
        key=lambda _group, _request: key,
        rate=settings.API_RATE,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise ApiProblem(
            429,
            "rate-limited",
            _("Too many requests for this token: try again later."),
            headers={"Retry-After": str(max(1, int(usage["time_left"])))},
        )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = api_token_find(plain=token.strip())
        if found is None:
            return None
        rate_limit(request, f"token:{found.pk}")
        return Caller(person=found.person, scope=Scope(found.scope), token=found)


class PageSessionAuth(SessionAuth):
    """The platform's own scripts: the signed-in person, every scope their role allows."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or not isinstance(user, Person):
            return None
        rate_limit(request, f"session:{user.pk}")
        return Caller(person=user, scope=Scope.ADMIN, token=None)
