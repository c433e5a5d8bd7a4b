"""One check per operation: the token's scope and the person's role, both on the server."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person, Role
from portevoix.api.auth import Caller
from portevoix.api.models import Scope
from portevoix.api.problems import ApiProblem

PILOT = (Role.ADMIN, Role.EDITOR)
ADMIN = (Role.ADMIN,)
EVERYONE = tuple(Role)


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller), "every operation is behind the API's authentication"
    return caller


def require(request: HttpRequest, *, scope: Scope, roles: tuple[Role, ...]) -> Person:
    """The person acting, once their token may do this and their role allows it."""
    caller = caller_of(request)
    if not caller.allows(scope):
        raise ApiProblem(
            403,
            "insufficient-scope",
            _("This token's scope does not allow this: it needs « %(scope)s ».")
            % {"scope": Scope(scope).label},
        )
    if caller.person.role not in roles:
        raise ApiProblem(403, "forbidden", _("Your role does not allow this."))
    return caller.person
