"""Conversions reported by the company's servers: the endpoint of /tracking/api/conversions
(which keeps working), here with the API's errors and document. A conversion key (`pvk_…`,
made on the Conversions page) or an admin's token with the write scope may report."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from portevoix.api.access import ADMIN, require
from portevoix.api.auth import TokenAuth, rate_limit
from portevoix.api.models import Scope
from portevoix.api.problems import ApiProblem, Problem
from portevoix.api.schemas import WRITE_ERRORS, Strict
from portevoix.tracking.conversions import (
    ConversionError,
    conversion_key_check,
    conversion_parse,
    conversion_receipt,
)
from portevoix.tracking.conversions import conversion_record as conversion_save
from portevoix.tracking.models import ConversionKey, ConversionSource

router = Router(tags=["conversions"])


class ConversionKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ConversionKey | None:
        key = conversion_key_check(token.strip())
        if key is not None:
            rate_limit(request, f"conversion-key:{key.pk}")
        return key


class ConversionIn(Strict):
    click: str
    goal: str
    label: str = ""


class ConversionOut(Schema):
    status: str
    counted: bool
    goal: str
    post: int
    ambassador: int | None
    network: str
    campaign: str | None


@router.post(
    "",
    auth=[ConversionKeyAuth(), TokenAuth()],
    response={201: ConversionOut, **WRITE_ERRORS, 503: Problem},
    summary="Report a goal reached after a click",
)
def conversion_record(request: HttpRequest, payload: ConversionIn) -> Status[dict[str, Any]]:
    if not isinstance(request.auth, ConversionKey):  # type: ignore[attr-defined]
        require(request, scope=Scope.WRITE, roles=ADMIN)
    try:
        # The tracking app's own parser holds the rules (click id shape, goals, label).
        report = conversion_parse(json.dumps(payload.model_dump()).encode())
        conversion = conversion_save(report=report, source=ConversionSource.API)
    except ConversionError as error:
        status = 422 if error.status == 400 else error.status
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        raise ApiProblem(
            status, error.code.replace("_", "-"), error.message, headers=headers
        ) from error
    return Status(201, conversion_receipt(conversion))
