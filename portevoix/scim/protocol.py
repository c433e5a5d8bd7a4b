"""The protocol's envelope: JSON in and out as application/scim+json, bearer authentication,
and every failure as a SCIM error (RFC 7644 §3.12) rather than an HTML page."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    PayloadTooLargeException,
    SCIMException,
    UnauthorizedException,
    UniquenessException,
)

from portevoix.core.storable import has_nul, strict_json_loads
from portevoix.scim.models import ScimToken
from portevoix.scim.tokens import scim_token_for_bearer

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/scim+json"


class MethodNotAllowedException(SCIMException):
    status = 405
    scim_type = ""
    _default_detail = "This method is not allowed on this endpoint."


class ScimRequest(HttpRequest):
    """A request whose bearer token was accepted (for type checking only)."""

    scim_token: ScimToken


def scim_json(data: dict[str, Any], status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def scim_error(error: Error) -> HttpResponse:
    response = scim_json(error.model_dump(), status=int(error.status or 400))
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def request_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object the request carries ({} for an empty body: a search without parameters).

    Every request body of the protocol is an object: anything else is refused with invalidSyntax,
    as is a lone surrogate ("\\ud800", valid JSON no database can encode). NUL, which
    PostgreSQL refuses in text, is refused anywhere in it with invalidValue: nothing of it could
    be stored or searched for."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise PayloadTooLargeException(detail="The request body is too large.") from None
    if not raw:
        return {}
    try:
        data = strict_json_loads(raw)
    except UnicodeEncodeError:
        raise InvalidSyntaxException(
            detail="The request body holds a lone surrogate, which is no character."
        ) from None
    except ValueError:  # not UTF-8, or not JSON
        raise InvalidSyntaxException(detail="The request body is not JSON.") from None
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The request body must be a JSON object.")
    if has_nul(data):
        raise InvalidValueException(detail="The request body holds a NUL character (\\u0000).")
    return data


def _bearer(request: HttpRequest) -> str:
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


View = Callable[..., HttpResponse]


def scim_endpoint(methods: dict[str, View]) -> View:
    """One URL of the protocol: its handler per HTTP method, behind a live bearer token."""

    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            token = scim_token_for_bearer(_bearer(request))
            if token is None:
                raise UnauthorizedException(detail="A valid bearer token is required.")
            handler = methods.get(request.method or "")
            if handler is None:
                raise MethodNotAllowedException(
                    detail=f"{request.method} is not allowed on this endpoint."
                )
            scim_request = request  # the token travels with the request, for the audit log
            scim_request.scim_token = token  # type: ignore[attr-defined]
            return handler(scim_request, *args, **kwargs)
        except SCIMException as error:
            return scim_error(error.to_error())
        except IntegrityError:
            # Two requests creating the same userName at once: the database's constraint
            # decided, and the loser's transaction was rolled back whole.
            conflict = UniquenessException(detail="The resource conflicts with one just created.")
            return scim_error(conflict.to_error())
        except ValidationError as errors:
            # What scim2-models refused while reading the payload: the first reason is enough.
            return scim_error(Error.from_validation_errors(errors)[0])

    return view
