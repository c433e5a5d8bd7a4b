"""One check per operation: the token's scope and the person's role, both on the server."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person, Role
from portevoix.api.auth import Caller, PageSessionAuth, TokenAuth
from portevoix.api.models import Scope
from portevoix.api.problems import ApiProblem

PILOT = (Role.ADMIN, Role.EDITOR)
ADMIN = (Role.ADMIN,)
EVERYONE = tuple(Role)


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller), "every operation is behind the API's authentication"
    return caller


def _check(caller: Caller, scope: Scope, roles: tuple[Role, ...]) -> None:
    if not caller.allows(scope):
        raise ApiProblem(
            403,
            "insufficient-scope",
            _("This token's scope does not allow this: it needs « %(scope)s ».")
            % {"scope": Scope(scope).label},
        )
    if caller.person.role not in roles:
        raise ApiProblem(403, "forbidden", _("Your role does not allow this."))


def require(request: HttpRequest, *, scope: Scope, roles: tuple[Role, ...]) -> Person:
    """The person acting, once their token may do this and their role allows it."""
    caller = caller_of(request)
    _check(caller, scope, roles)
    return caller.person


class _GuardedToken(TokenAuth):
    def __init__(self, scope: Scope, roles: tuple[Role, ...]) -> None:
        super().__init__()
        self.scope, self.roles = scope, roles

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        caller = super().authenticate(request, token)
        if caller is not None:
            _check(caller, self.scope, self.roles)
        return caller


class _GuardedSession(PageSessionAuth):
    def __init__(self, scope: Scope, roles: tuple[Role, ...]) -> None:
        super().__init__()
        self.scope, self.roles = scope, roles

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        caller = super().authenticate(request, key)
        if isinstance(caller, Caller):
            _check(caller, self.scope, self.roles)
        return caller


def guard(scope: Scope, roles: tuple[Role, ...]) -> list[Any]:
    """An operation's authentication that also checks scope and role, before its input is
    read: someone who may not call it learns nothing of its input rules (403, not 422)."""
    return [_GuardedToken(scope, roles), _GuardedSession(scope, roles)]
