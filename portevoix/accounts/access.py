"""Role checks every view uses. Permissions live on the server, view by view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from portevoix.accounts.models import Person, Role

# A streamed download (CSV, JSON lines) is a view's answer too.
View = Callable[..., HttpResponseBase]


class AuthenticatedRequest(HttpRequest):
    """The request a view receives behind `login_required` or a role check: its user is a
    logged-in Person, never the anonymous user (for type checking only; Django makes it)."""

    user: Person


def role_required(*roles: Role) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: AuthenticatedRequest, *args, **kwargs) -> HttpResponseBase:
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by tests that walk every page of a role (the audit walk over the pilot forms).
        wrapper.roles_required = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper

    return decorator


admin_required = role_required(Role.ADMIN)
pilot_required = role_required(Role.ADMIN, Role.EDITOR)


def is_data_protection_officer(person: Person) -> bool:
    """Admins, and people named data-protection officer whatever their role."""
    return person.is_active and (person.role == Role.ADMIN or person.data_protection_officer)


def data_protection_required(view: View) -> View:
    """The pages of people's data requests and of the compliance archive."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args, **kwargs) -> HttpResponseBase:
        if not is_data_protection_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    # Read by the audit walk: admins open these pages (and data-protection officers).
    wrapper.roles_required = frozenset({Role.ADMIN})  # type: ignore[attr-defined]
    wrapper.data_protection = True  # type: ignore[attr-defined]
    return wrapper


def is_last_admin(person: Person) -> bool:
    """Whether `person` is an admin and no other active admin exists: without one, nobody
    could manage people, the charter or the settings any more."""
    return (
        person.role == Role.ADMIN
        and not Person.objects.filter(role=Role.ADMIN, is_active=True)
        .exclude(pk=person.pk)
        .exists()
    )
