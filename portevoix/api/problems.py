"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language
(LocaleMiddleware has chosen it from the person or Accept-Language before the API runs)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://portevoix.org/problems/"  # names only: the types are documented in docs/api.md


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str = ""
    errors: dict[str, list[str]] | None = None


class ApiProblem(Exception):
    """Raised by the API's operations: a status, a stable code for programs, a sentence for
    people, and the errors per field when there are."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


TITLES = {
    400: lambda: _("Bad request"),
    401: lambda: _("Authentication required"),
    403: lambda: _("Not allowed"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    409: lambda: _("Conflict"),
    413: lambda: _("Request too large"),
    422: lambda: _("Invalid input"),
    429: lambda: _("Too many requests"),
    503: lambda: _("Try again shortly"),
}


def problem_response(problem: ApiProblem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.code,
        "title": str(TITLES.get(problem.status, lambda: _("Error"))()),
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(json.dumps(body), status=problem.status, content_type=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "title") → "title"; a query parameter keeps its own name
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        name = ".".join(location[1:] if location[:1] == ["query"] else location) or "body"
        found.setdefault(name, []).append(_validation_message(error))
    return found


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "missing":
        return _("This field is required.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    return _("Wrong value or type: %(reason)s") % {"reason": error.get("msg", "")}


def problems_install(api: NinjaAPI) -> None:
    def on_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(exc)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = _field_errors(exc)
        if any(e.get("type") == "json_invalid" for e in exc.errors):
            return problem_response(
                ApiProblem(400, "malformed-json", _("The body is not valid JSON."))
            )
        return problem_response(
            ApiProblem(422, "invalid-input", _("Some values are not accepted."), errors=errors)
        )

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            ApiProblem(
                401,
                "unauthenticated",
                _("A valid token is required (Authorization: Bearer …)."),
                headers={"WWW-Authenticate": 'Bearer realm="portevoix"'},
            )
        )

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(ApiProblem(404, "not-found", _("No such object.")))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja's own refusals: a body its JSON parser cannot read, a failed CSRF check
        if exc.status_code == 400:
            return problem_response(
                ApiProblem(400, "malformed-json", _("The body is not valid JSON."))
            )
        if exc.status_code == 403:
            return problem_response(
                ApiProblem(403, "csrf", _("The CSRF token is missing or wrong."))
            )
        return problem_response(ApiProblem(exc.status_code, "error", str(exc)))

    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            ApiProblem(413, "too-large", _("The body is too large for this API."))
        )

    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
