"""The tokens page: everyone's own personal tokens; admins also make service tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.access import AuthenticatedRequest
from portevoix.accounts.models import Role
from portevoix.api.forms import TokenForm
from portevoix.api.models import ApiToken, Scope, TokenKind
from portevoix.api.tokens import api_token_create, api_token_revoke
from portevoix.core.audit import audit_record


def _scopes(request: AuthenticatedRequest) -> list[str]:
    """An admin scope is only worth something to an admin: nobody else is offered it."""
    if request.user.role == Role.ADMIN:
        return list(Scope.values)
    return [Scope.READ, Scope.WRITE]


def _visible(request: AuthenticatedRequest) -> QuerySet[ApiToken]:
    """One's own tokens; admins also see (and revoke) every service token, whoever made it."""
    mine = Q(person=request.user)
    if request.user.role == Role.ADMIN:
        mine |= Q(kind=TokenKind.SERVICE)
    return ApiToken.objects.filter(mine).select_related("person")


def _kinds(request: AuthenticatedRequest) -> list[str]:
    return list(TokenKind.values) if request.user.role == Role.ADMIN else [TokenKind.PERSONAL]


@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None, scopes=_scopes(request))
    new_token = None
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", TokenKind.PERSONAL)
        if form.is_valid() and kind in _kinds(request):
            token, new_token = api_token_create(
                person=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
                kind=kind,
            )
            if kind == TokenKind.SERVICE:
                audit_record(actor=request.user, action="api_token_created", target=token.name)
            form = TokenForm(scopes=_scopes(request))
        else:
            status = 400
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "kinds": _kinds(request),
            "new_token": new_token,  # shown on this response only: only its digest is kept
            "tokens": _visible(request),
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_visible(request), pk=pk)
    api_token_revoke(token=token)
    if token.kind == TokenKind.SERVICE:
        audit_record(actor=request.user, action="api_token_revoked", target=token.name)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_pages:tokens")
