"""The conversion endpoints: server-side (API key) and for the script on the company site."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from portevoix.core.addresses import request_address
from portevoix.tracking.conversions import (
    MAX_BODY,
    ConversionError,
    ConversionReport,
    conversion_key_check,
    conversion_parse,
    conversion_receipt,
    conversion_record,
    too_large,
)
from portevoix.tracking.models import ConversionSource

# The script endpoint needs no credential but a click id: per address (hashed by the rate
# limiter, never stored) it takes a busy office's visitors, per click a page reloaded a few
# times, and a click can make one conversion per goal anyway (conversions.py).
SCRIPT_RATE = "30/m"
SCRIPT_CLICK_RATE = "10/h"


def _error(error: ConversionError, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": error.code, "message": error.message}, status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _report(request: HttpRequest) -> ConversionReport:
    """The parsed body, read only up to the limit: a declared or actual body over it is the
    documented JSON 413 (Django's own limit would answer an HTML 400 from `request.body`)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        raise too_large()
    return conversion_parse(request.read(MAX_BODY + 1))


def _not_allowed(allow: str) -> JsonResponse:
    response = JsonResponse({"error": "method_not_allowed", "message": _("Use POST.")}, status=405)
    response["Allow"] = allow
    return response


@csrf_exempt  # no cookie is involved: the API key (or the click id) is the credential
def conversions_api(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _not_allowed("POST")
    authorization = request.headers.get("Authorization", "")
    scheme, _space, raw_key = authorization.partition(" ")
    if scheme.lower() != "bearer" or conversion_key_check(raw_key.strip()) is None:
        error = ConversionError(401, "unauthorized", _("A valid API key is required."))
        return _error(error, WWW_Authenticate='Bearer realm="portevoix"')
    try:
        conversion = conversion_record(report=_report(request), source=ConversionSource.API)
    except ConversionError as error:
        return _error(error)
    return JsonResponse(conversion_receipt(conversion), status=201)


def _cors(response: HttpResponse) -> HttpResponse:
    # Any site may call it, without credentials: what protects it is the unguessable click id.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    # Readable by the script, which waits that long before trying a 503 again.
    response["Access-Control-Expose-Headers"] = "Retry-After"
    return response


@csrf_exempt
def conversions_script(request: HttpRequest) -> HttpResponse:
    if not settings.CONVERSION_SCRIPT_ENABLED:
        error = ConversionError(404, "disabled", _("Conversions by script are turned off."))
        return _cors(_error(error))
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    if request.method != "POST":
        return _cors(_not_allowed("POST, OPTIONS"))
    if is_ratelimited(
        request,
        group="tracking-conversions",
        key=lambda _group, request: request_address(request),
        rate=SCRIPT_RATE,
        increment=True,
    ):
        error = ConversionError(
            429, "rate_limited", _("Too many reports: try again later."), retry_after=60
        )
        return _cors(_error(error))
    try:
        report = _report(request)
        if is_ratelimited(
            request,
            group="tracking-conversions-click",
            key=lambda _group, _request: report.click_id,
            rate=SCRIPT_CLICK_RATE,
            increment=True,
        ):
            raise ConversionError(
                429,
                "rate_limited",
                _("Too many reports for this click: try again later."),
                retry_after=3600,
            )
        conversion_record(report=report, source=ConversionSource.SCRIPT)
    except ConversionError as error:
        return _cors(_error(error))
    return _cors(JsonResponse({"status": "recorded"}, status=201))
